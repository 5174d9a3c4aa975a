/**
 * @file improve.h
 * @brief A fast local search that improves a feasible proposal: the primal
 *        heuristic solve.c runs before and between the tiers of the MIP.
 *
 * The search keeps every hard rule of models/formulation.md §5 at every
 * accepted step, and accepts a step only when it is strictly better in the
 * lexicographic order of the model's tiers (§6):
 *
 *   1. more households housed;
 *   2. at equal housed, more waiting days housed;
 *   3. at equal 1 and 2, more households in permanent (non-transit) units;
 *   4. at equal 1 to 3, a lower soft cost: the full soft tier of the model
 *      at t and o's least values, i.e. the candidates' pair_cost plus
 *      W_spread times the spread penalty (C13) and W_near_cap times the
 *      near-cap excess (C14) of every area, school and daycare -- the same
 *      figure greedy.c reports as tier_value[BP_TIER_SOFT].
 *
 * So no step ever makes an earlier tier worse.  See improve.c for the moves.
 */
#ifndef BOPLACE_IMPROVE_H
#define BOPLACE_IMPROVE_H

#include "boplace.h"

/** Improves a feasible proposal in place, keeping every hard rule.
 *
 *  chosen[h] is a candidate index of household h (one of
 *  derived->first_candidate[h] .. first_candidate[h + 1] - 1), or -1 when h
 *  is unplaced.  The proposal must keep every hard rule on entry (a greedy
 *  or MIP proposal does); it then keeps them on return.  A chosen[] that
 *  names another household's candidate is left untouched (returns 0).
 *
 *  Tiers as in the file comment: housed, then waiting days housed, then
 *  permanent, then the model's full soft cost (pair_cost + spread +
 *  near-cap).  Place-locked households never move; a group (two or more
 *  members) moves only as a whole, all in one area; a fresh area (no
 *  newcomers today, min_cluster m > 0) ends with 0 or at least m households.
 *
 *  Stops by `deadline`, in CLOCK_MONOTONIC seconds (as
 *  bp_clock_seconds()), or sooner when no move improves.  Returns the number of
 *  improving moves made (0 when chosen is unchanged). */
int bp_improve(const bp_case *kase, const bp_derived *derived, int *chosen,
               double deadline);

/** bp_improve's search through tiers 1-3 only, where tier 2 also tries
 *  two households out of the way at once: an unplaced household takes a
 *  unit once two placed ones make room in a school's seats or a daycare's
 *  places, one of them settles elsewhere, and the other, who waited less,
 *  is left out.  Housed stays, waiting days rise.  Costlier than the
 *  one-push chains (about a millisecond per household tried at the
 *  annual size), so it is not part of bp_improve: solve.c runs it once
 *  the pool stage is done, when that stage left tier 2 too far below its
 *  LP for a tree.  Same contract and return value as bp_improve. */
int bp_improve_waiting(const bp_case *kase, const bp_derived *derived, int *chosen,
                       double deadline);

/** bp_improve's tier 4 moves only (the soft cost, tiers 1-3 never worse):
 *  for the soft tier, whose tiers 1-3 are fixed by then (bp_improve's
 *  tier 1 look alone can take a second at the national size).  Same
 *  contract and return value. */
int bp_improve_soft(const bp_case *kase, const bp_derived *derived, int *chosen,
                    double deadline);

/** A feasible proposal from an LP solution (a rounding heuristic for the
 *  first tier, whose LP is nearly integral: its rows are close to a
 *  network).
 *
 *  lp_value[i] is candidate i's LP value, for every candidate i <
 *  derived->n_candidates (0 for pairs without a column).  In order:
 *
 *   1. the place-locked households are placed first, in their locked unit,
 *      the other members of a group with a locked member in the lock's
 *      area, and a fresh area a lock opens below min_cluster is filled up
 *      to it (as the hand method does);
 *   2. the pairs with a positive LP value are taken in order of their value
 *      (largest first; ties by the household's waiting days, longest
 *      first, then candidate index), each if its household is still
 *      unplaced and it keeps every cap given those taken before.  A group
 *      is taken whole when a member's pair comes up, all members in that
 *      pair's area, each in its fitting pair there with the largest LP
 *      value; if they do not all fit, the group is tried again at its next
 *      pair in another area;
 *   3. a fresh area left with fewer than min_cluster households is filled
 *      up to it from the unplaced (largest LP value there first), or else
 *      emptied;
 *   4. the households left unplaced are inserted where they fit, and the
 *      local search of bp_improve runs through tiers 1-3 until none of
 *      them improves or `deadline` (CLOCK_MONOTONIC seconds, as
 *      bp_improve's); its tier 4 moves are left to bp_improve.
 *
 *  Writes chosen[h] (a candidate of h, or -1) for every household; the
 *  proposal keeps every hard rule of models/formulation.md §5.  Returns the
 *  number housed, or -1 when step 1 cannot keep the place locks (then no
 *  proposal keeps them, or the hand method finds none either; chosen is
 *  all -1).  With lp_value the indicator of a feasible proposal, the
 *  result houses at least as many households as that proposal. */
int bp_round_lp(const bp_case *kase, const bp_derived *derived,
                const double *lp_value, int *chosen, double deadline);

#endif

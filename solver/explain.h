/**
 * @file explain.h
 * @brief Internals shared by the explain and write stages: who was placed
 *        where (the tally), the rule-by-rule justification of a proposal,
 *        the best alternative and the nearest miss, and number formatting.
 *
 * explain.c owns every word a caseworker reads, in English and Danish;
 * write_output.c owns the file formats.  What the JSON needs beyond the two
 * sentences of bp_household_explanation (the rule checks with their figures,
 * the alternative's unit and taker, the rules the nearest miss fails) is
 * computed here from the same functions that wrote the sentences, so that
 * the sentence and the figures beside it can never disagree.
 *
 * Everything here is linear in a household's candidates, except the nearest
 * miss of a household with no candidates, which scans the units once.
 */
#ifndef BOPLACE_EXPLAIN_H
#define BOPLACE_EXPLAIN_H

#include "boplace.h"
#include "buffer.h"

/** The run's placements, counted per area, unit, building, school and
 *  daycare: the "after" side of every multi-household rule. */
typedef struct {
  int *area_placed;        /**< households placed per area */
  int *building_placed;    /**< households placed per building */
  int *school_children;    /**< children 6-16 placed per school */
  int *daycare_children;   /**< children 0-5 placed per daycare */
  int *group_placed;       /**< members placed per group */
  int *household_unit;     /**< per household: its unit, -1 = unplaced */
  /** Households placed in unit u: occupant[occupant_first[u] ..
   *  occupant_first[u+1]), ascending. */
  size_t *occupant_first;
  int *occupant;
} bp_tally;

void bp_tally_build(const bp_case *kase, const bp_derived *derived,
                    const bp_solution *solution, bp_tally *tally);
void bp_tally_free(bp_tally *tally);

/** Which cap a binding cap is. */
typedef enum {
  BP_CAP_NEWCOMER_SHARE,  /**< an area's max_newcomer_share */
  BP_CAP_FREE_SEATS,      /**< a school's free seats */
  BP_CAP_FREE_PLACES,     /**< a daycare's free places */
  BP_CAP_BILINGUAL_SHARE, /**< a school's or daycare's max_bilingual_share */
  BP_CAP_BUILDING_LIMIT   /**< max_new_per_building */
} bp_cap_kind;

typedef struct {
  const char *name; /**< of the area, school, daycare or building */
  bp_cap_kind kind;
} bp_binding_cap;

/** The caps that decided the outcome: fully used by the run's placements
 *  (tally) while some candidate reaches them (a cap no candidate reaches
 *  decided nothing); areas, schools, daycares, buildings, each in index
 *  order.  *caps is newly allocated; returns how many.  `boplace run` and
 *  `boplace compare` both show this list: the council's first question is
 *  which rules bit. */
size_t bp_binding_caps(const bp_case *kase, const bp_derived *derived,
                       const bp_tally *tally, bp_binding_cap **caps);
/** The candidate a household was placed by, or -1. */
long bp_placed_candidate(const bp_solution *solution, int h);
/** A household placed in unit u other than h (the lowest index), or -1. */
int bp_tally_taken_by(const bp_tally *tally, int u, int h);

/** Area newcomer share before this run and after all of its placements. */
double bp_area_share_before(const bp_case *kase, int a);
double bp_area_share_after(const bp_case *kase, const bp_tally *tally, int a);

/** What a JSON value holds. */
typedef enum { BP_VALUE_NULL, BP_VALUE_NUMBER, BP_VALUE_BOOL } bp_value_kind;

/** One hard rule checked for a proposal, with its figures. */
typedef struct {
  const char *rule;   /**< bp_rule_name(), or a multi-household rule name */
  int applies;        /**< 0: the rule does not concern this household */
  int holds;
  bp_value_kind value_kind, limit_kind;
  double value, limit;
  char *text;         /**< the check in words, in the run's language */
} bp_rule_check;

/** Rule checks per proposal: the pairwise rules and the multi-household
 *  rules (unit_places, area_share, school_bilingual_share,
 *  daycare_bilingual_share, building, min_cluster, group). */
#define BP_MAX_CHECKS (BP_RULE_COUNT + 8)

/** Fills checks[] for household h placed by candidate c; returns the count.
 *  Free the texts with bp_rule_checks_free(). */
size_t bp_explain_checks(const bp_case *kase, const bp_derived *derived,
                         const bp_tally *tally, int h, size_t c,
                         bp_rule_check checks[BP_MAX_CHECKS]);
void bp_rule_checks_free(bp_rule_check *checks, size_t n);

/** Why an eligible pair is not (or could not be) used, for the alternative
 *  of a placed household and the blocked units of an unplaced one. */
typedef enum {
  BP_BLOCK_NONE,           /**< nothing blocks it: a matter of cost */
  BP_BLOCK_TAKEN,          /**< all its places went to other households */
  BP_BLOCK_GROUP,          /**< the household's group lives in another area */
  BP_BLOCK_AREA_SHARE,
  BP_BLOCK_SCHOOL_SEATS,
  BP_BLOCK_SCHOOL_BILINGUAL,
  BP_BLOCK_DAYCARE_PLACES,
  BP_BLOCK_DAYCARE_BILINGUAL,
  BP_BLOCK_BUILDING,
  BP_BLOCK_MIN_CLUSTER,
  BP_BLOCK_TRANSIT,        /**< a permanent home was found instead */
  BP_BLOCK_COUNT
} bp_block;

/** The rule name of a block, as in the JSON ("taken", "area_share", ...). */
const char *bp_block_name(bp_block block);

/** The best alternative of a placed household: its other candidate with the
 *  lowest pair_cost (ties: lower unit index). */
typedef struct {
  long candidate;  /**< index into candidates, -1 = none */
  int unit;        /**< -1 = none */
  bp_block block;
  int taken_by;    /**< household, -1 = none */
} bp_alternative;

bp_alternative bp_explain_alternative(const bp_case *kase,
                                      const bp_derived *derived,
                                      const bp_tally *tally, int h, size_t c);

/** The rules unit u fails for household h, by name: the pairwise rules that
 *  fail, or for an eligible unit of an unplaced household what blocks it
 *  (taken, a cap, ...).  Returns the count (at most BP_MAX_CHECKS). */
size_t bp_explain_failed_rules(const bp_case *kase, const bp_derived *derived,
                               const bp_tally *tally, int h, int u,
                               const char *names[BP_MAX_CHECKS]);

/** Numbers as the language writes them: "6,150" / "6.150", "12.5" / "12,5".
 *  decimals: most decimals; trim: drop trailing zeros. */
void bp_text_number(bp_buffer *b, double value, int decimals, int trim,
                    bp_language lang);
/** "DKK 6,150" / "6.150 kr." */
void bp_text_money(bp_buffer *b, double value, bp_language lang);
/** "12.5 min" / "12,5 min." */
void bp_text_minutes(bp_buffer *b, double minutes, bp_language lang);
/** share 0.142 -> "14.2%" / "14,2 %" with `decimals` decimals (trimmed when
 *  trim is set). */
void bp_text_percent(bp_buffer *b, double share, int decimals, int trim,
                     bp_language lang);

#endif

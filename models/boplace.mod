/* boplace.mod: the boplace model of models/formulation.md in GNU MathProg.
 *
 * This is the same mixed-integer program that solver/model_build.c builds,
 * written independently from formulation.md, so that glpsol can check the
 * C-built model tier by tier (tests/test_mathprog.py).  Constraint names
 * follow the numbers of formulation.md section 5: C1 ... C15.
 *
 * Data: `boplace export CASE_DIR FILE.dat` writes the sets and parameters
 * of formulation.md section 7.  `param tier` (1..4) selects the objective;
 * for tier t > 1 the optimal values v1..v(t-1) of the earlier tiers are
 * constraints (C15).
 *
 *     glpsol --math models/boplace.mod --data FILE.dat
 *
 * prints, after solving, one line "TIER t OBJ value" with the tier's
 * objective in its own sense (housed, waiting days, permanent homes: to
 * maximise; soft cost: to minimise).
 */

/* ---- Sets (formulation.md section 1) ---------------------------------- */
set H;                      /* households to place */
set U;                      /* vacant units */
set A;                      /* areas */
set S;                      /* schools */
set D;                      /* daycares */
set B;                      /* buildings */
set G;                      /* groups */
set E within H cross U;     /* eligible pairs (section 2) */

/* ---- Parameters (section 3 and section 7) ------------------------------ */
param places{U} >= 0;                       /* households unit u can take */
param perm{U} binary;                       /* 1 unless transit */
param unit_area{U} symbolic;
param unit_building{U} symbolic default "";
param c6{H} >= 0;                           /* children 6-16 */
param c05{H} >= 0;                          /* children 0-5 */
param wait{H} >= 0;                         /* waiting days */
param area_school{A} symbolic;
param area_daycare{A} symbolic default "";
param n{A} >= 0;                            /* newcomer households today */
param N{A} >= 0;                            /* all households today */
param Karea{A} >= 0;                        /* room under the area's cap */
param cap{A};                               /* the area's newcomer cap */
param fresh{A} binary;                      /* 1 for areas in A0 */
param F_s{S} >= 0; param p_s{S} >= 0; param b_s{S} >= 0;
param Kb_s{S} >= 0; param cap_s{S};
param F_d{D} >= 0; param p_d{D} >= 0; param b_d{D} >= 0;
param Kb_d{D} >= 0; param cap_d{D};
param member{G, H} binary default 0;
param cost{E};                              /* the pair's soft cost */
param placelock{E} binary default 0;
param M_b >= 0;                             /* max_new_per_building, 0 = off */
param m >= 0;                               /* min_cluster, 0 = off */
param theta;                                /* near-cap threshold, 0.8 */
param w_spread; param w_near_cap;
param tier integer, >= 1, <= 4;
param v1; param v2; param v3;

/* ---- Derived figures ----------------------------------------------------- */
/* K-bar of (C13): the largest value k_a (beta_s, beta_d) can take under
 * (C2)-(C7).  Any upper bound serves: f is convex, so extra secants never
 * cut above f at an integer. */
param capacity_a{a in A} := sum{u in U: unit_area[u] = a} places[u];
param Kbar_a{a in A} := floor(min(Karea[a], capacity_a[a], card(H)));
param Kbar_s{s in S} := floor(min(F_s[s], Kb_s[s], sum{h in H} c6[h]));
param Kbar_d{d in D} := floor(min(F_d[d], Kb_d[d], sum{h in H} c05[h]));
/* K'_a of (C9). */
param Kprime_a{a in A} := min(Karea[a], capacity_a[a]);

/* The spread penalty of (C13): f(k) = (b+k)^2/(p+k) - b^2/p, the second
 * term 0 when p = 0 (and the first 0 when p + k = 0). */
param f_a{a in A, k in 0..Kbar_a[a]} :=
  (if N[a] + k > 0 then (n[a] + k)^2 / (N[a] + k) else 0)
  - (if N[a] > 0 then n[a]^2 / N[a] else 0);
param f_s{s in S, k in 0..Kbar_s[s]} :=
  (if p_s[s] + k > 0 then (b_s[s] + k)^2 / (p_s[s] + k) else 0)
  - (if p_s[s] > 0 then b_s[s]^2 / p_s[s] else 0);
param f_d{d in D, k in 0..Kbar_d[d]} :=
  (if p_d[d] + k > 0 then (b_d[d] + k)^2 / (p_d[d] + k) else 0)
  - (if p_d[d] > 0 then b_d[d]^2 / p_d[d] else 0);

/* ---- Variables (section 4) ----------------------------------------------- */
var x{E} binary;                            /* h is proposed unit u */
var z{G, A} binary;                         /* group g is placed in area a */
var y{a in A: fresh[a] = 1 and m > 0} binary; /* area a receives newcomers */
var t_a{A} >= 0; var t_s{S} >= 0; var t_d{D} >= 0;  /* spread penalties */
var o_a{A} >= 0; var o_s{S} >= 0; var o_d{D} >= 0;  /* above 80 % of cap */

/* The shorthands k_a, beta_s, beta_d are written out where they are used:
 *   k_a    = sum{(h,u) in E: unit_area[u] = a} x[h,u]
 *   beta_s = sum{(h,u) in E: area_school[unit_area[u]] = s} c6[h] x[h,u]
 *   beta_d = sum{(h,u) in E: area_daycare[unit_area[u]] = d} c05[h] x[h,u]
 */

/* ---- Objective: the tier selected by `tier` (section 6) ----------------- */
/* Tiers 1-3 maximise; as one minimised objective they are negated. */
minimize objective:
  if tier = 1 then - sum{(h,u) in E} x[h,u]
  else if tier = 2 then - sum{(h,u) in E} wait[h] * x[h,u]
  else if tier = 3 then - sum{(h,u) in E} perm[u] * x[h,u]
  else w_spread * (sum{a in A} t_a[a] + sum{s in S} t_s[s]
                   + sum{d in D} t_d[d])
     + w_near_cap * (sum{a in A} o_a[a] + sum{s in S} o_s[s]
                     + sum{d in D} o_d[d])
     + sum{(h,u) in E} cost[h,u] * x[h,u];

/* ---- Constraints (section 5) --------------------------------------------- */
s.t. C1{h in H}: sum{u in U: (h,u) in E} x[h,u] <= 1;

s.t. C2{u in U}: sum{h in H: (h,u) in E} x[h,u] <= places[u];

s.t. C3{a in A}: sum{(h,u) in E: unit_area[u] = a} x[h,u] <= Karea[a];

s.t. C4{s in S}:
  sum{(h,u) in E: area_school[unit_area[u]] = s} c6[h] * x[h,u] <= F_s[s];

s.t. C5{s in S}:
  sum{(h,u) in E: area_school[unit_area[u]] = s} c6[h] * x[h,u] <= Kb_s[s];

s.t. C6{d in D}:
  sum{(h,u) in E: area_daycare[unit_area[u]] = d} c05[h] * x[h,u] <= F_d[d];

s.t. C7{d in D}:
  sum{(h,u) in E: area_daycare[unit_area[u]] = d} c05[h] * x[h,u] <= Kb_d[d];

s.t. C8{b in B: M_b > 0}:
  sum{(h,u) in E: unit_building[u] = b} x[h,u] <= M_b;

s.t. C9_low{a in A: fresh[a] = 1 and m > 0}:
  sum{(h,u) in E: unit_area[u] = a} x[h,u] >= m * y[a];
s.t. C9_high{a in A: fresh[a] = 1 and m > 0}:
  sum{(h,u) in E: unit_area[u] = a} x[h,u] <= Kprime_a[a] * y[a];

s.t. C10{g in G}: sum{a in A} z[g,a] <= 1;

s.t. C11{g in G, h in H, a in A: member[g,h] = 1}:
  sum{u in U: (h,u) in E and unit_area[u] = a} x[h,u] = z[g,a];

s.t. C12{(h,u) in E: placelock[h,u] = 1}: x[h,u] = 1;

s.t. C13_area{a in A, j in 0..Kbar_a[a] - 1}:
  t_a[a] >= f_a[a,j] + (f_a[a,j+1] - f_a[a,j])
            * (sum{(h,u) in E: unit_area[u] = a} x[h,u] - j);
s.t. C13_school{s in S, j in 0..Kbar_s[s] - 1}:
  t_s[s] >= f_s[s,j] + (f_s[s,j+1] - f_s[s,j])
            * (sum{(h,u) in E: area_school[unit_area[u]] = s}
                 c6[h] * x[h,u] - j);
s.t. C13_daycare{d in D, j in 0..Kbar_d[d] - 1}:
  t_d[d] >= f_d[d,j] + (f_d[d,j+1] - f_d[d,j])
            * (sum{(h,u) in E: area_daycare[unit_area[u]] = d}
                 c05[h] * x[h,u] - j);

/* (C14): e(k) = (n + k) - theta c (N + k) is how far a share would be above
 * 80 % of its cap; o >= e(k) - max(0, e(0)), measured against today. */
s.t. C14_area{a in A}:
  o_a[a] >= n[a] + (sum{(h,u) in E: unit_area[u] = a} x[h,u])
            - theta * cap[a] * (N[a] + sum{(h,u) in E: unit_area[u] = a} x[h,u])
            - max(0, n[a] - theta * cap[a] * N[a]);
s.t. C14_school{s in S}:
  o_s[s] >= b_s[s]
            + (sum{(h,u) in E: area_school[unit_area[u]] = s} c6[h] * x[h,u])
            - theta * cap_s[s] * (p_s[s]
              + sum{(h,u) in E: area_school[unit_area[u]] = s} c6[h] * x[h,u])
            - max(0, b_s[s] - theta * cap_s[s] * p_s[s]);
s.t. C14_daycare{d in D}:
  o_d[d] >= b_d[d]
            + (sum{(h,u) in E: area_daycare[unit_area[u]] = d} c05[h] * x[h,u])
            - theta * cap_d[d] * (p_d[d]
              + sum{(h,u) in E: area_daycare[unit_area[u]] = d} c05[h] * x[h,u])
            - max(0, b_d[d] - theta * cap_d[d] * p_d[d]);

/* (C15): the earlier tiers' optima, fixed exactly (integer objectives). */
s.t. C15_housed{i in 1..1: tier > 1}: sum{(h,u) in E} x[h,u] >= v1;
s.t. C15_waiting{i in 1..1: tier > 2}: sum{(h,u) in E} wait[h] * x[h,u] >= v2;
s.t. C15_permanent{i in 1..1: tier > 3}: sum{(h,u) in E} perm[u] * x[h,u] >= v3;

solve;

printf "TIER %d OBJ %.9f\n", tier,
  if tier = 1 then sum{(h,u) in E} x[h,u]
  else if tier = 2 then sum{(h,u) in E} wait[h] * x[h,u]
  else if tier = 3 then sum{(h,u) in E} perm[u] * x[h,u]
  else w_spread * (sum{a in A} t_a[a] + sum{s in S} t_s[s]
                   + sum{d in D} t_d[d])
     + w_near_cap * (sum{a in A} o_a[a] + sum{s in S} o_s[s]
                     + sum{d in D} o_d[d])
     + sum{(h,u) in E} cost[h,u] * x[h,u];
/* The proposals, one line each, for reading by eye or by a test. */
printf {(h,u) in E: x[h,u] > 0.5} "PLACE %s %s\n", h, u;

end;

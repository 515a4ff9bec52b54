/* giamngheo field app: live scoring in the browser (issue 13).
   It reads the standard's own JSON definition (the same data file the Python engine loads, served by
   GET /api/standards/{id} and the assignment) and Phiếu A's questions from the server: no threshold is
   written here. Mirrors giamngheo/standards/classify.py (classify, _income_test, _status) and
   giamngheo/reviews/procedure.py (screening_outcome); test vectors generated from the Python engine check
   both in Chromium (giamngheo/field/tests/test_scoring_vectors.py). */
(function (root) {
  "use strict";

  function given(value) {
    return value !== null && value !== undefined && value !== "";
  }

  /* Phiếu B: {status, income_test, at_or_below_line, deprived: [codes in the standard's order],
     deprivation_count, b2_score, income_line, b1_cutoff, unknown: [codes]} or {error: "area"|"income"}.
     input: {area, income_per_capita, b1_score, answers: {code: bool}, facts_deprived: {code: bool|null}} */
  function classifyB(standard, input) {
    const area = input.area;
    const lines = standard.income.lines;
    if (!given(area) || !Object.prototype.hasOwnProperty.call(lines, area)) return { error: "area" };
    const income = given(input.income_per_capita) ? Number(input.income_per_capita) : null;
    const b1 = given(input.b1_score) ? Number(input.b1_score) : null;
    let incomeTest;
    let atOrBelow;
    if (income !== null) {
      incomeTest = "income";
      atOrBelow = income <= lines[area];
    } else if (b1 !== null) {
      incomeTest = "b1";
      atOrBelow = b1 <= standard.b1.cutoffs[area];
    } else {
      return { error: "income" };
    }
    const answers = input.answers || {};
    const facts = input.facts_deprived || {};
    const deprived = [];
    const unknown = [];
    for (const indicator of standard.indicators) {
      const code = indicator.code;
      const answer = answers[code];
      if (answer !== null && answer !== undefined) {
        if (answer) deprived.push(code);
      } else if (facts[code] !== null && facts[code] !== undefined) {
        if (facts[code]) deprived.push(code);
      } else {
        unknown.push(code);
      }
    }
    const b2 = standard.b2.points_per_indicator * deprived.length;
    let status;
    if (atOrBelow) {
      status = b2 >= standard.b2.poor_min_points ? "poor" : "near_poor";
    } else if (income !== null && income <= standard.income.average_upper[area]) {
      status = "average";
    } else {
      status = "not_poor";
    }
    return {
      status: status,
      income_test: incomeTest,
      at_or_below_line: atOrBelow,
      income_line: lines[area],
      b1_cutoff: incomeTest === "b1" ? standard.b1.cutoffs[area] : null,
      deprived: deprived,
      deprivation_count: deprived.length,
      b2_score: b2,
      unknown: unknown,
    };
  }

  /* Phiếu A: [number of "yes" answers, screened out?] — procedure.screening_outcome. */
  function screenA(phieuA, area, answers) {
    let yes = 0;
    for (const question of phieuA.questions) {
      if (answers[question.code]) yes += 1;
    }
    const limits = phieuA.screen_out_when_yes_at_least;
    const limit = limits[area] || Math.max.apply(null, Object.values(limits));
    return { yes: yes, screened_out: yes >= limit, limit: limit };
  }

  root.GNScoring = { classifyB: classifyB, screenA: screenA };
})(typeof self !== "undefined" ? self : this);

/* Behaviour of the pages, kept out of the HTML: the Content-Security-Policy allows scripts from this server
 * only, with no inline script, no on…="" attribute and no eval. Loaded before Alpine (CSP build), so the
 * components below are registered when Alpine starts. */
(function () {
  "use strict";

  // <select data-autosubmit>: choosing a value submits its form (a filter without a button).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });

  // An htmx form marked data-remove-after-request goes away once its request is done.
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    if (el && el.matches && el.matches("[data-remove-after-request]")) { el.remove(); }
  });

  // Bars: <span data-bar-width="42.5"> gets its width here (style="" attributes are refused by the policy).
  function bars(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (el) {
      el.style.width = el.getAttribute("data-bar-width") + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bars(document); });
  document.addEventListener("htmx:afterSwap", function (event) { bars(event.detail.target || document); });

  document.addEventListener("alpine:init", function () {
    /* The plan's village grid, live totals: the same half-up rounding as the server, in integers. */
    window.Alpine.data("planGrid", function (data, sep) {
      return {
        rows: data.rows,
        assigned: data.assigned,
        num: function (value) { var n = Number(value); return Number.isInteger(n) && n >= 0 ? n : 0; },
        hundredths: function (part, whole) {
          return whole ? Math.floor((2 * part * 10000 + whole) / (2 * whole)) : 0;
        },
        pct: function (part, whole) {
          var n = Number(part);
          if (!Number.isInteger(n) || n < 0) { return "—"; }
          var s = String(this.hundredths(n, whole)).padStart(3, "0");
          return s.slice(0, -2) + sep + s.slice(-2);
        },
        end: function (i, group) { var r = this.rows[i]; return r[group] - this.num(r[group + "_reduction"]); },
        total: function (key) {
          var self = this;
          return this.rows.reduce(function (sum, r) { return sum + self.num(r[key]); }, 0);
        },
        totalEnd: function (group) { return this.total(group) - this.total(group + "_reduction"); },
        over: function (group, whole) {
          var assigned = this.assigned[group];
          if (assigned === null) { return false; }
          return this.hundredths(this.totalEnd(group), whole) > Math.round(Number(assigned) * 100);
        }
      };
    });

    /* A support's kind and the forms it may take (the table is in <script id="support-forms"> as JSON). */
    window.Alpine.data("supportForm", function (kind) {
      var table = document.getElementById("support-forms");
      return {
        kind: kind,
        forms: table ? JSON.parse(table.textContent) : {},
        allows: function (value) { return (this.forms[this.kind] || []).indexOf(value) !== -1; }
      };
    });

    /* One household's votes at the village meeting: agreed when the votes reach the share of attendees. */
    window.Alpine.data("meetingVote", function (votes) {
      return {
        v: votes,
        outcome: function (attendees, pct) {
          var people = Number(attendees), yes = Number(this.v);
          if (this.v === "" || !(people > 0)) { return ""; }
          return yes * 100 >= people * pct ? "agreed" : "back";
        }
      };
    });
  });
})();

/* The browser's own validation messages ("Please select a file.", "Please fill out this field.") come in the
 * browser's language, not the page's. When a field is invalid, this replaces the message with the app's own,
 * read from data-msg-* attributes of <body> (translated by the server in the page's language); a field may
 * give its own pattern message with data-pattern-message. Loaded from a static file (no inline script). */
(function () {
  "use strict";

  function text(name, values) {
    var message = document.body.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { message = message.split("{" + key + "}").join(values[key]); });
    return message;
  }

  function messageFor(field) {
    var v = field.validity;
    var type = (field.getAttribute("type") || "").toLowerCase();
    if (v.valueMissing) {
      if (type === "file") { return text("file"); }
      if (field.tagName === "SELECT") { return text("select"); }
      if (type === "checkbox") { return text("checkbox"); }
      if (type === "radio") { return text("radio"); }
      return text("required");
    }
    if (v.badInput) { return type === "number" ? text("number") : text("invalid"); }
    if (v.patternMismatch) { return field.getAttribute("data-pattern-message") || text("pattern"); }
    if (v.typeMismatch) { return type === "email" ? text("email") : text("invalid"); }
    if (v.rangeUnderflow) { return text("min", { min: field.getAttribute("min") }); }
    if (v.rangeOverflow) { return text("max", { max: field.getAttribute("max") }); }
    if (v.stepMismatch) {
      var step = field.getAttribute("step");
      return !step || step === "1" ? text("step") : text("invalid");
    }
    if (v.tooLong) { return text("toolong", { max: field.getAttribute("maxlength") }); }
    if (v.tooShort) { return text("tooshort", { min: field.getAttribute("minlength") }); }
    return "";
  }

  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field || typeof field.setCustomValidity !== "function") { return; }
    field.setCustomValidity("");
    var message = messageFor(field);
    if (message) { field.setCustomValidity(message); }
  }, true);

  function clear(event) {
    var field = event.target;
    if (field && typeof field.setCustomValidity === "function") { field.setCustomValidity(""); }
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);
})();

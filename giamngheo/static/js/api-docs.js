// The API's interactive docs (/api/docs): Swagger UI, vendored under static/vendor/swagger-ui, started from
// this file so the page needs no inline script. Its settings come from the page's JSON block; a session's
// CSRF token (writes from the browser) from the body's data attributes.
(function () {
  "use strict";
  var body = document.body.dataset;
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  if (body.apiCsrf && body.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = body.csrfToken;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();

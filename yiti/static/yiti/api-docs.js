// Starts Swagger UI on /api/docs (a file, not an inline script: the CSP allows only 'self' scripts).
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    // The default validator badge is an image from validator.swagger.io: nothing leaves the intranet.
    validatorUrl: null,
  });
});

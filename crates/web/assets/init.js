// Marks the page as having JavaScript before it is drawn, as govuk-frontend expects.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

// Progressive enhancement only: every page works without this file.
// After a failed submit, move focus to the error summary so that screen readers
// announce it and keyboard users start there.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});

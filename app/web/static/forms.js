// Form helpers that need no inline script (the Content-Security-Policy allows none):
// ask before a form marked data-confirm is sent, and move focus to a form's error summary.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm || event.submitter?.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".form-errors");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});

// A comment form sent back with errors: focus its summary (the page already scrolled to the form),
// and make each error link show the field's label and message above the input it focuses.
const summary = document.querySelector(".comment-form .error-summary");
if (summary) {
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const input = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) return;
    event.preventDefault();
    (input.closest(".field") || input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });
}

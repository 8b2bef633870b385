// « Use this translation » fills the row's English input in place, Draftail included. Without this
// script (or if anything here fails) the button submits the form and the page comes back at the row.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-use-suggestion]");
  if (!button || !button.form) {
    return;
  }
  const input = button.form.elements.namedItem(button.dataset.useSuggestion);
  if (!input || input.disabled) {
    return;
  }
  try {
    if (input.draftailEditor) {
      const raw = JSON.parse(button.dataset.value);
      const editor = input.draftailEditor;
      const decorator = editor.getEditorState().getDecorator();
      editor.onChange(window.Draftail.createEditorStateFromRaw(raw, decorator));
      input.value = button.dataset.value;
      editor.focus();
    } else if (input.type !== "hidden") {
      input.value = button.dataset.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    } else {
      return;
    }
  } catch (error) {
    return; // the form is sent as without JavaScript
  }
  event.preventDefault();
  const status = button.closest(".tw-suggestions").querySelector("[data-suggestion-status]");
  if (status) {
    status.textContent = status.dataset.message;
  }
});

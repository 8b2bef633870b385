// Suggestions under the header search box: an ARIA 1.2 combobox over the JSON endpoint
// named in data-suggest-url. Without this script the box is a plain form that submits to
// the search page; with it, the form still submits when no suggestion is chosen.
const DELAY_MS = 150;
const MIN_LENGTH = 2;

function setUp(input) {
  const form = input.form;
  const listbox = document.createElement("ul");
  listbox.id = `${input.id}-suggestions`;
  listbox.className = "search-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", input.dataset.suggestLabel || "");
  listbox.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite"); // not role="status": the page may have its own
  input.insertAdjacentElement("afterend", listbox);
  listbox.insertAdjacentElement("afterend", status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-expanded", "false");

  let timer = null;
  let controller = null;
  let active = -1;

  const options = () => Array.from(listbox.querySelectorAll('[role="option"]'));

  function close() {
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  // -1 is the box itself: ↑ from the first option comes back to it (no wrapping to the last
  // option, where Enter would open another page instead of searching), and ↓ stops at the last.
  function highlight(index) {
    const items = options();
    if (!items.length) return;
    active = Math.max(-1, Math.min(index, items.length - 1));
    items.forEach((item, position) => item.setAttribute("aria-selected", String(position === active)));
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function render(results) {
    listbox.replaceChildren();
    results.forEach((result, index) => {
      const option = document.createElement("li");
      option.id = `${listbox.id}-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = result.url;
      const title = document.createElement("span");
      title.className = "search-suggestions__title";
      title.textContent = result.title;
      const meta = document.createElement("span");
      meta.className = "search-suggestions__meta";
      meta.textContent = result.order ? `${result.kind_label} · ${result.order}` : result.kind_label;
      option.append(title, meta);
      option.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the box
      option.addEventListener("click", () => window.location.assign(result.url));
      listbox.append(option);
    });
    const open = results.length > 0;
    listbox.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = open ? input.dataset.suggestStatus || "" : "";
  }

  async function fetchSuggestions(text) {
    controller?.abort();
    controller = new AbortController();
    try {
      const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(text)}`;
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return close();
      const data = await response.json();
      if (input.value.trim() === text) render(data.results || []);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < MIN_LENGTH) return close();
    timer = setTimeout(() => fetchSuggestions(text), DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight(active + 1);
    } else if (event.key === "ArrowUp" && open && active >= 0) {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.assign(options()[active].dataset.url);
    }
  });

  input.addEventListener("blur", () => setTimeout(close, 100));
  form?.addEventListener("submit", close);
}

document.querySelectorAll("input[data-suggest-url]").forEach(setUp);

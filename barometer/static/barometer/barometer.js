// The trust barometer in place. Without this script the block's form posts and the browser shows
// the results page (303). With it, the vote is sent with fetch and the results page's results
// replace the form; the status region says what happened (thanks, a refused vote, or the site's
// read-only notice: any answer without results shows the text of the page the server sent).
const parser = new DOMParser();

function messageOf(doc) {
  const own = doc.querySelector("[data-barometer-message]");
  if (own) return own.textContent.replace(/\s+/g, " ").trim();
  const main = doc.querySelector("main") || doc.body;
  if (!main) return "";
  return [main.querySelector("h1"), main.querySelector("p")]
    .filter(Boolean)
    .map((element) => element.textContent.replace(/\s+/g, " ").trim())
    .join(" ");
}

function setUp(block) {
  const form = block.querySelector("form");
  const status = block.querySelector("[role='status']");
  if (!form || !status || form.dataset.enhanced) return;
  form.dataset.enhanced = "true";
  let busy = false;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("barometer__status--error", Boolean(isError));
  }

  form.addEventListener("submit", async (event) => {
    if (form.dataset.native) return; // the network failed: let the browser send it
    event.preventDefault();
    if (busy) return;
    busy = true;
    form.setAttribute("aria-busy", "true");
    const submitter = event.submitter;
    let response;
    let doc;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form, submitter),
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      doc = parser.parseFromString(await response.text(), "text/html");
    } catch {
      form.dataset.native = "true";
      form.requestSubmit(submitter);
      return;
    }
    busy = false;
    form.removeAttribute("aria-busy");
    const results = doc.querySelector("[data-barometer-results]");
    const message = messageOf(doc) || `${response.status} ${response.statusText}`;
    if (results && (response.ok || response.status === 429)) {
      const shown = document.importNode(results, true);
      shown.querySelector("[data-barometer-message]")?.remove();
      form.replaceWith(shown);
      say(message, !response.ok);
      shown.querySelector("[data-barometer-focus]")?.focus();
    } else {
      say(message, true);
    }
  });
}

document.querySelectorAll("[data-barometer]").forEach(setUp);

// Press "/" anywhere (outside a text field) to jump to the search box.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const typing = target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  if (typing) return;
  const box = document.getElementById("search-query") || document.getElementById("site-search");
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});

// A list of papers marked `data-sorts` can be reordered by publication date: the page holds
// it in the catalogue's order, and its control (hidden without scripts) reorders it. Papers
// without a date come last in either order; papers of the same date keep their order.
function byDate(newestFirst) {
  return (a, b) => {
    const [x, y] = [a.dataset.published || "", b.dataset.published || ""];
    if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
    const older = x < y ? -1 : x > y ? 1 : 0;
    return newestFirst ? -older : older;
  };
}

for (const control of document.querySelectorAll("[data-sorts]")) {
  const list = document.getElementById(control.dataset.sorts);
  const select = control.querySelector("select");
  if (!list || !select) continue;
  const listed = Array.from(list.children);
  const reorder = () => {
    const items = listed.slice();
    if (select.value !== "listed") items.sort(byDate(select.value === "newest"));
    list.append(...items);
  };
  select.addEventListener("change", reorder);
  reorder(); // a choice the browser kept from an earlier visit (going back) applies at once
  control.classList.remove("waiting");
}

// A button marked `data-copy` copies the text of the element it names, where the browser
// lets pages write to the clipboard, and says whether it did in its status.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  if (!source || !status || !(navigator.clipboard && navigator.clipboard.writeText)) continue;
  button.addEventListener("click", async () => {
    status.textContent = "";
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Could not copy: select the text and copy it instead.";
    }
  });
  button.parentElement.hidden = false;
}

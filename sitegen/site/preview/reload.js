// sitegen serve: reload this page when a rebuild changed it, and show a failed build's
// problems over the last good page until the next good build.
(() => {
  const page = location.pathname;
  // The digest of the bytes shown, as the server sent them; else the first answer's
  const served = performance.getEntriesByType("navigation")[0]?.serverTiming
    ?.find((timing) => timing.name === "page");
  let seenPage = served ? served.description : null;
  let overlay = null;

  const showProblems = (problems) => {
    if (overlay) overlay.remove();
    overlay = null;
    if (!problems.length) return;
    overlay = document.createElement("section");
    overlay.setAttribute("role", "alert");
    overlay.id = "sitegen-build-problems";
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;margin:0;padding:1rem;background:#3b0d0d;color:#fff;" +
      "font:14px/1.4 monospace;border-top:4px solid #e33";
    const heading = document.createElement("h2");
    heading.textContent = "Build failed: this is the last good page. Fix and save to rebuild.";
    heading.style.cssText = "margin:0 0 .5rem;font-size:16px";
    const list = document.createElement("pre");
    list.style.cssText = "margin:0;white-space:pre-wrap";
    list.textContent = problems.join("\n");  // text only: problems quote the content
    overlay.append(heading, list);
    document.body.append(overlay);
  };

  const poll = (since) => {
    const query = new URLSearchParams({page});
    if (since !== null) query.set("since", since);
    fetch(`/__build?${query}`, {cache: "no-store"}).then((r) => r.json()).then((state) => {
      if (seenPage === null) seenPage = state.page;
      showProblems(state.problems);
      if (!state.problems.length && state.page !== seenPage) {
        location.reload();
        return;
      }
      if (state.again) setTimeout(() => poll(state.build), state.again);  // others wait
      else poll(state.build);
    }, () => setTimeout(() => poll(since), 1000));  // the server restarts, or is gone
  };
  poll(null);
})();

// Live updates of the Social Wall: every 30 seconds (every 2 minutes in a background
// tab) the page asks for posts above the newest one it shows. New posts are announced
// politely and shown when the reader asks, so that nothing jumps under their eyes; the
// list keeps working without this script ("Neue Beiträge laden" reloads).
(function () {
  "use strict";
  const live = document.querySelector(".live[data-newer-url]");
  const list = document.getElementById("beitraege");
  if (!live || !list || !window.fetch) return;
  const status = live.querySelector(".live-status");
  const reload = live.querySelector(".live-link");
  if (reload) reload.hidden = true;
  const seconds = Number(live.dataset.pollSeconds) || 30;
  let url = live.dataset.newerUrl;
  let pending = null;
  let timer = null;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, (document.hidden ? 4 : 1) * seconds * 1000);
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        if (data.count > 0) {
          pending = data;
          announce();
        }
      }
    } catch (e) {
      // Offline for a moment: the next round tries again.
    }
    schedule();
  }

  function announce() {
    status.textContent = "";
    const text = document.createElement("span");
    text.textContent = pending.text;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = live.dataset.showLabel || "Anzeigen";
    button.addEventListener("click", show);
    status.append(text, button);
  }

  function show() {
    const template = document.createElement("template");
    template.innerHTML = pending.html; // our own server's escaped markup
    const first = template.content.querySelector(".post-org");
    list.prepend(template.content);
    url = url.replace(/([?&]nach=)\d+/, "$1" + pending.newest);
    pending = null;
    status.textContent = "";
    if (first) first.focus();
  }

  // Tests and the kiosk's controls ask for a round at once.
  live.addEventListener("verbund:poll", poll);
  schedule();
})();

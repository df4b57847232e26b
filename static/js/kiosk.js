// The Social Wall on a big screen: scrolls the posts slowly and starts again at the
// top, takes new posts in every 30 seconds, and follows the moderator's controls
// (pause, speed, empty screen) within 2 seconds. Viewers who prefer reduced motion
// get no scrolling: the screen turns a page every 20 seconds instead.
(function () {
  "use strict";
  const body = document.body;
  const viewport = document.querySelector(".kiosk-viewport");
  const list = document.getElementById("beitraege");
  if (!viewport || !list) return;
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const speeds = { slow: 12, normal: 24, fast: 48 }; // pixels per second
  let speed = speeds[body.dataset.speed] || speeds.normal;
  let paused = body.dataset.paused === "1";
  let version = Number(body.dataset.version) || 0;
  let newerUrl = body.dataset.newerUrl;
  let last = null;
  let offset = 0;

  function blank(on) {
    body.classList.toggle("kiosk-blanked", on);
  }
  blank(body.dataset.blank === "1");

  function frame(now) {
    if (last !== null && !paused && !body.classList.contains("kiosk-blanked")) {
      offset += (speed * (now - last)) / 1000;
      const end = list.scrollHeight - viewport.clientHeight;
      if (offset > end + 200) offset = 0; // from the top again
      viewport.scrollTop = Math.min(offset, Math.max(end, 0));
    }
    last = now;
    requestAnimationFrame(frame);
  }

  function turnPage() {
    if (!paused && !body.classList.contains("kiosk-blanked")) {
      const end = list.scrollHeight - viewport.clientHeight;
      offset = offset + viewport.clientHeight > end + 1 ? 0 : offset + viewport.clientHeight;
      viewport.scrollTop = offset;
    }
  }

  async function state() {
    try {
      const r = await fetch(body.dataset.stateUrl, { cache: "no-store" });
      if (r.ok) {
        const s = await r.json();
        if (s.version !== version) {
          version = s.version;
          paused = s.paused === 1;
          speed = speeds[s.speed] || speeds.normal;
          blank(s.blank === 1);
        }
      }
    } catch (e) {
      // The screen keeps running on a short network hiccup.
    }
    setTimeout(state, 2000);
  }

  async function newer() {
    try {
      const r = await fetch(newerUrl, { headers: { Accept: "application/json" } });
      if (r.ok) {
        const data = await r.json();
        if (data.count > 0) {
          const template = document.createElement("template");
          template.innerHTML = data.html; // our own server's escaped markup
          list.prepend(template.content);
          newerUrl = newerUrl.replace(/([?&]nach=)\d+/, "$1" + data.newest);
          while (list.children.length > 60) list.lastElementChild.remove();
        }
      }
    } catch (e) {}
    setTimeout(newer, 30000);
  }

  if (still) setInterval(turnPage, 20000);
  else requestAnimationFrame(frame);
  setTimeout(state, 2000);
  setTimeout(newer, 30000);
})();

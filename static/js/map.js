// Maps: the directory map ([data-map]) and the pin on an organisation's details form
// ([data-pin-map]). Map tiles come from another server (the operator's tile service),
// which sees the visitor's IP address, so nothing is loaded until the visitor presses
// the button. Without JavaScript or tiles the list (directory) and the two number
// fields (details form) still do the job.
(() => {
  function addStylesheet(href) {
    return new Promise((resolve, reject) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = resolve;
      link.onerror = reject;
      document.head.append(link);
    });
  }

  function addScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  // Leaflet inserts the attribution as HTML; the operator's text goes in as text.
  function asText(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // Leaflet and a map in the panel's canvas, with zoom buttons in the page's language
  // (the map itself takes the arrow keys and + / -).
  async function makeMap(panel, canvas) {
    await Promise.all([addStylesheet(panel.dataset.leafletCss), addScript(panel.dataset.leafletJs)]);
    canvas.hidden = false;
    const map = window.L.map(canvas, { scrollWheelZoom: false, zoomControl: false });
    window.L.control.zoom({
      zoomInTitle: panel.dataset.textZoomIn, zoomOutTitle: panel.dataset.textZoomOut,
    }).addTo(map);
    window.L.tileLayer(panel.dataset.tiles, {
      maxZoom: 18,
      attribution: asText(panel.dataset.attribution || ""),
    }).addTo(map);
    canvas.setAttribute("aria-label", panel.dataset.textCanvas);
    return map;
  }

  const GERMANY = [51.16, 10.45];
  const dot = () => window.L.divIcon({ className: "map-dot", iconSize: [18, 18] });

  function popup(point) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    const city = document.createElement("div");
    city.textContent = point.city;
    box.append(link, city);
    return box;
  }

  async function showDirectory(panel) {
    const button = panel.querySelector("[data-map-load]");
    const status = panel.querySelector("[data-map-status]");
    const canvas = panel.querySelector("[data-map-canvas]");
    button.disabled = true;
    status.textContent = panel.dataset.textLoading;
    try {
      const response = await fetch(panel.dataset.points, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`points: ${response.status}`);
      const data = await response.json();
      const map = await makeMap(panel, canvas);
      const bounds = [];
      // Markers are buttons in the tab order (Enter opens the popup with the link); the
      // list on the page names the same organisations.
      for (const p of data.points) {
        window.L.marker([p.lat, p.lon], { icon: dot(), keyboard: true, title: p.name, alt: p.name })
          .bindPopup(popup(p)).addTo(map);
        bounds.push([p.lat, p.lon]);
      }
      if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
      else map.setView(GERMANY, 6);
      const n = data.points.length;
      const text = n === 0 ? panel.dataset.textNone
        : n === data.total ? panel.dataset.textAll : panel.dataset.textLoaded;
      status.textContent = text.replace("{n}", data.points.length).replace("{total}", data.total);
      // The button goes; focus moves to the map rather than back to the page's top.
      button.hidden = true;
      canvas.focus();
    } catch (e) {
      status.textContent = panel.dataset.textFailed;
      button.disabled = false;
    }
  }

  // "51.31607" or "51,31607" as the form accepts them; NaN otherwise.
  const degrees = (text) => Number(text.trim().replace(",", "."));

  // The pin: a click on the map (or "Kartenmitte übernehmen" after moving the map with
  // the keys) puts it there and writes both fields; typing in the fields moves it.
  async function showPin(panel) {
    const button = panel.querySelector("[data-map-load]");
    const status = panel.querySelector("[data-map-status]");
    const canvas = panel.querySelector("[data-map-canvas]");
    const form = panel.closest("form");
    const lat = form.querySelector("#latitude");
    const lon = form.querySelector("#longitude");
    button.disabled = true;
    status.textContent = panel.dataset.textLoading;
    try {
      const map = await makeMap(panel, canvas);
      const typed = [degrees(lat.value), degrees(lon.value)];
      const hasPin = typed.every((v) => Number.isFinite(v)) && lat.value.trim() && lon.value.trim();
      const near = [degrees(panel.dataset.lat || ""), degrees(panel.dataset.lon || "")];
      if (hasPin) map.setView(typed, 16);
      else if (near.every((v) => Number.isFinite(v) && v !== 0)) map.setView(near, 14);
      else map.setView(GERMANY, 6);
      let marker = null;
      const place = (latlng, announce) => {
        const at = [Number(latlng.lat.toFixed(5)), Number(latlng.lng.toFixed(5))];
        if (!marker) {
          marker = window.L.marker(at, {
            icon: dot(), draggable: true, keyboard: false, title: panel.dataset.textPin, alt: panel.dataset.textPin,
          }).addTo(map);
          marker.on("dragend", () => place(marker.getLatLng(), true));
        } else marker.setLatLng(at);
        if (announce) {
          lat.value = String(at[0]);
          lon.value = String(at[1]);
          status.textContent = panel.dataset.textSet.replace("{lat}", lat.value).replace("{lon}", lon.value);
        }
      };
      if (hasPin) place({ lat: typed[0], lng: typed[1] }, false);
      map.on("click", (e) => place(e.latlng, true));
      for (const field of [lat, lon]) {
        field.addEventListener("change", () => {
          const v = [degrees(lat.value), degrees(lon.value)];
          if (v.every((x) => Number.isFinite(x)) && lat.value.trim() && lon.value.trim()) {
            place({ lat: v[0], lng: v[1] }, false);
            map.panTo(v);
          }
        });
      }
      panel.querySelector("[data-pin-center]").addEventListener("click", () => place(map.getCenter(), true));
      panel.querySelector("[data-pin-actions]").hidden = false;
      status.textContent = panel.dataset.textLoaded;
      button.hidden = true;
      canvas.focus();
    } catch (e) {
      status.textContent = panel.dataset.textFailed;
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const [selector, show] of [["[data-map]", showDirectory], ["[data-pin-map]", showPin]]) {
      const panel = document.querySelector(selector);
      if (!panel) continue;
      panel.hidden = false;
      panel.querySelector("[data-map-load]").addEventListener("click", () => show(panel));
    }
  });
})();

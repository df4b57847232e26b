// The directory map. Map tiles come from another server (the operator's tile service),
// which sees the visitor's IP address, so nothing is loaded until the visitor presses
// "Karte laden". Without JavaScript or tiles the list on the same page still works.
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

  async function show(panel) {
    const button = panel.querySelector("[data-map-load]");
    const status = panel.querySelector("[data-map-status]");
    const canvas = panel.querySelector("[data-map-canvas]");
    button.disabled = true;
    status.textContent = panel.dataset.textLoading;
    try {
      await Promise.all([addStylesheet(panel.dataset.leafletCss), addScript(panel.dataset.leafletJs)]);
      const response = await fetch(panel.dataset.points, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`points: ${response.status}`);
      const data = await response.json();
      canvas.hidden = false;
      // Zoom buttons speak the page's language; the map itself takes the arrow keys.
      const map = window.L.map(canvas, { scrollWheelZoom: false, zoomControl: false });
      window.L.control.zoom({
        zoomInTitle: panel.dataset.textZoomIn, zoomOutTitle: panel.dataset.textZoomOut,
      }).addTo(map);
      window.L.tileLayer(panel.dataset.tiles, {
        maxZoom: 18,
        attribution: asText(panel.dataset.attribution || ""),
      }).addTo(map);
      const bounds = [];
      // Markers are buttons in the tab order (Enter opens the popup with the link); the
      // list on the page names the same organisations.
      const dot = window.L.divIcon({ className: "map-dot", iconSize: [18, 18] });
      for (const p of data.points) {
        window.L.marker([p.lat, p.lon], { icon: dot, keyboard: true, title: p.name, alt: p.name })
          .bindPopup(popup(p)).addTo(map);
        bounds.push([p.lat, p.lon]);
      }
      if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
      else map.setView([51.16, 10.45], 6);  // Germany
      const n = data.points.length;
      const text = n === 0 ? panel.dataset.textNone
        : n === data.total ? panel.dataset.textAll : panel.dataset.textLoaded;
      status.textContent = text.replace("{n}", data.points.length).replace("{total}", data.total);
      // The button goes; focus moves to the map rather than back to the page's top.
      canvas.setAttribute("aria-label", panel.dataset.textCanvas);
      button.hidden = true;
      canvas.focus();
    } catch (e) {
      status.textContent = panel.dataset.textFailed;
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const panel = document.querySelector("[data-map]");
    if (!panel) return;
    panel.hidden = false;
    panel.querySelector("[data-map-load]").addEventListener("click", () => show(panel));
  });
})();

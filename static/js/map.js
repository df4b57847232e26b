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
      const map = window.L.map(canvas, { scrollWheelZoom: false });
      window.L.tileLayer(panel.dataset.tiles, {
        maxZoom: 18,
        attribution: asText(panel.dataset.attribution || ""),
      }).addTo(map);
      const bounds = [];
      for (const p of data.points) {
        window.L.circleMarker([p.lat, p.lon], {
          radius: 8, weight: 2, color: "#08405f", fillColor: "#0b5c8a", fillOpacity: 0.85,
        }).bindPopup(popup(p)).addTo(map);
        bounds.push([p.lat, p.lon]);
      }
      if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
      else map.setView([51.16, 10.45], 6);  // Germany
      const n = data.points.length;
      const text = n === 0 ? panel.dataset.textNone
        : n === data.total ? panel.dataset.textAll : panel.dataset.textLoaded;
      status.textContent = text.replace("{n}", data.points.length).replace("{total}", data.total);
      button.hidden = true;
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

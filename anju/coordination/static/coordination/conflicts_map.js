// Dig-once map: no tile server (government intranets have none). The plan's compounds (their
// boundary, or a circle at their point) and the works they meet, coloured by the relation:
// red "after" (the renewed compound would be dug again), orange "overlap" (build together),
// blue "before" (sequence them). Drawn from data in the page.
(function () {
  const element = document.getElementById("conflict-map");
  const source = document.getElementById("conflict-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = { after: "#dc3545", overlap: "#fd7e14", before: "#0d6efd" };
  const layers = (data.outlines || []).map((outline) =>
    L.geoJSON(outline, {
      style: { color: "#6c757d", weight: 1, fillColor: "#dee2e6", fillOpacity: 0.4 },
      interactive: false,
    })
  );
  const bounds = L.latLngBounds([]);
  (data.compounds || []).forEach((c) => {
    const style = { color: "#8c2f2b", weight: 1, fillColor: "#8c2f2b", fillOpacity: 0.35 };
    const label = `${c.name}（${c.conflicts}）`;
    if (c.boundary) {
      const shape = L.geoJSON(c.boundary, { style }).bindTooltip(label);
      layers.push(shape);
      bounds.extend(shape.getBounds());
    } else if (c.lat !== null && c.lon !== null) {
      // A circle's bounds need a map, so they come from its centre and the 80 m radius.
      const centre = L.latLng(c.lat, c.lon);
      layers.push(L.circle(centre, { ...style, radius: 80 }).bindTooltip(label));
      bounds.extend(centre.toBounds(160));
    }
  });
  (data.works || []).forEach((w) => {
    const colour = colours[w.relation] || "#6c757d";
    const shape = L.geoJSON(w.geometry, {
      style: { color: colour, weight: 4, opacity: 0.9 },
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, { radius: 6, color: colour, fillColor: colour, fillOpacity: 0.9 }),
    }).bindTooltip(`${w.kind}：${w.name}`);
    layers.push(shape);
    bounds.extend(shape.getBounds());
  });
  if (!bounds.isValid()) {
    element.textContent = element.getAttribute("aria-label") + " —";
    return;
  }
  // A view must be set before vector layers are added.
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
  layers.forEach((layer) => layer.addTo(map));
  L.control.scale({ imperial: false }).addTo(map);
})();

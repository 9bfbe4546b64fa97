// The compound's small map: no tile server (government intranets have none), only the
// district outline, the compound's boundary and its point, drawn from data in the page.
(function () {
  const element = document.getElementById("compound-map");
  const source = document.getElementById("compound-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  const layers = [];
  if (data.district && data.district.outline) {
    layers.push(L.geoJSON(data.district.outline, {
      style: { color: "#6c757d", weight: 1, fillColor: "#dee2e6", fillOpacity: 0.5 },
    }).addTo(map));
  }
  if (data.boundary) {
    layers.push(L.geoJSON(data.boundary, {
      style: { color: "#8c2f2b", weight: 2, fillOpacity: 0.3 },
    }).addTo(map));
  }
  if (data.point) {
    const marker = L.circleMarker([data.point[1], data.point[0]], {
      radius: 7, color: "#8c2f2b", fillColor: "#8c2f2b", fillOpacity: 0.9,
    }).addTo(map).bindTooltip(data.name);
    layers.push(marker);
  }
  if (data.point) {
    map.setView([data.point[1], data.point[0]], data.boundary ? 16 : 13);
  } else if (layers.length) {
    map.fitBounds(L.featureGroup(layers).getBounds());
  } else {
    element.textContent = element.getAttribute("aria-label") + " —";
  }
  L.control.scale({ imperial: false }).addTo(map);
})();

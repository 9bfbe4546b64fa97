// The compound's small map: no tile server (government intranets have none), only the
// district outline, the compound's boundary and its point, drawn from data in the page.
(function () {
  const element = document.getElementById("compound-map");
  const source = document.getElementById("compound-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const district = data.district && data.district.outline
    ? L.geoJSON(data.district.outline, {
        style: { color: "#6c757d", weight: 1, fillColor: "#dee2e6", fillOpacity: 0.5 },
      })
    : null;
  const boundary = data.boundary
    ? L.geoJSON(data.boundary, { style: { color: "#8c2f2b", weight: 2, fillOpacity: 0.3 } })
    : null;
  const point = data.point
    ? L.circleMarker([data.point[1], data.point[0]], {
        radius: 7, color: "#8c2f2b", fillColor: "#8c2f2b", fillOpacity: 0.9,
      }).bindTooltip(data.name)
    : null;
  const layers = [district, boundary, point].filter(Boolean);
  if (!layers.length) {
    element.textContent = element.getAttribute("aria-label") + " —";
    return;
  }
  // A view must be set before vector layers are added.
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  if (point) {
    map.setView(point.getLatLng(), boundary ? 16 : 13);
  } else {
    map.fitBounds(L.featureGroup(layers).getBounds());
  }
  layers.forEach((layer) => layer.addTo(map));
  L.control.scale({ imperial: false }).addTo(map);
})();

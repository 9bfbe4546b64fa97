// The report's point on a small read-only map of the compound (report pages, workbench and
// portal): the same data and look as the report form's map (boundary, or a circle round the
// compound's point; no tile server), the point from the element's data- attributes.
(function () {
  const element = document.getElementById("report-point-map");
  const source = document.getElementById("report-point-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const longitude = parseFloat(element.dataset.longitude);
  const latitude = parseFloat(element.dataset.latitude);
  if (!Number.isFinite(longitude) || !Number.isFinite(latitude)) return;
  const data = JSON.parse(source.textContent) || {};
  const point = L.latLng(latitude, longitude);
  const map = L.map(element, {
    attributionControl: false,
    zoomControl: false,
    dragging: false,
    touchZoom: false,
    doubleClickZoom: false,
    scrollWheelZoom: false,
    boxZoom: false,
    keyboard: false,
    zoomSnap: 0.25,
  });
  if (data.boundary) {
    const boundary = L.geoJSON(data.boundary, {
      interactive: false,
      style: { color: "#8c2f2b", weight: 2, fillOpacity: 0.15 },
    }).addTo(map);
    map.fitBounds(boundary.getBounds().extend(point), { padding: [16, 16], maxZoom: 18 });
  } else {
    map.setView(point, 17);
    if (data.point) {
      L.circle(L.latLng(data.point[1], data.point[0]), {
        radius: 60, interactive: false, color: "#8c2f2b", weight: 1, fillOpacity: 0.08,
      }).addTo(map);
    }
  }
  L.control.scale({ imperial: false }).addTo(map);
  L.circleMarker(point, {
    radius: 9, interactive: false, className: "report-point-marker",
    color: "#fff", weight: 2, fillColor: "#dc3545", fillOpacity: 1,
  }).addTo(map);
})();

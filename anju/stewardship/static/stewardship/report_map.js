// Where the problem is: the compound's boundary and point drawn from data in the page (no tile
// server: government intranets have none); a tap puts a marker and fills the form's longitude
// and latitude, then tells the form something changed (the duplicate suggestions reload).
(function () {
  const element = document.getElementById("report-map");
  const source = document.getElementById("report-map-data");
  const longitude = document.querySelector("input[name=longitude]");
  const latitude = document.querySelector("input[name=latitude]");
  if (!element || !source || !longitude || !latitude || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const label = document.getElementById("report-point-label");
  const clear = document.getElementById("report-point-clear");
  const boundary = data.boundary
    ? L.geoJSON(data.boundary, { style: { color: "#8c2f2b", weight: 2, fillOpacity: 0.15 } })
    : null;
  const centre = data.point ? L.latLng(data.point[1], data.point[0]) : null;
  if (!boundary && !centre) {
    element.textContent = element.getAttribute("aria-label") + " —";
    return;
  }
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  if (boundary) {
    map.fitBounds(boundary.getBounds(), { padding: [12, 12], maxZoom: 18 });
    boundary.addTo(map);
  } else {
    map.setView(centre, 17);
    L.circle(centre, { radius: 60, color: "#8c2f2b", weight: 1, fillOpacity: 0.08 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  let marker = null;
  const changed = (input) => input.dispatchEvent(new Event("change", { bubbles: true }));
  const show = (latlng) => {
    if (marker) marker.setLatLng(latlng);
    else marker = L.circleMarker(latlng, {
      radius: 9, color: "#fff", weight: 2, fillColor: "#dc3545", fillOpacity: 1,
    }).addTo(map);
    if (label) label.textContent = label.dataset.set;
  };
  if (longitude.value && latitude.value) {
    show(L.latLng(parseFloat(latitude.value), parseFloat(longitude.value)));
  }
  map.on("click", (event) => {
    longitude.value = event.latlng.lng.toFixed(6);
    latitude.value = event.latlng.lat.toFixed(6);
    show(event.latlng);
    changed(latitude);
  });
  if (clear) {
    clear.addEventListener("click", () => {
      longitude.value = "";
      latitude.value = "";
      if (marker) { marker.remove(); marker = null; }
      if (label) label.textContent = label.dataset.empty;
      changed(latitude);
    });
  }
})();

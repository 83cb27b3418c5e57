/*
 * A map drawn while hidden (e.g. in a second tab) has no size, so fitBounds ends at zoom 0
 * showing the whole world; fit again the first time the map gets a size.
 */
window.allianzRefitWhenShown = function (map, bounds) {
    var fitted = map.getSize().x > 0;
    new ResizeObserver(function () {
        if (!fitted && map.getContainer().clientWidth > 0) {
            fitted = true;
            map.invalidateSize();
            map.fitBounds(bounds);
        }
    }).observe(map.getContainer());
};

/*
 * Leaflet focuses the map container on the first mousedown (for its keyboard handler) and then
 * restores the scroll position of the map's own window only. Inside the st_folium iframe the
 * browser scrolls the app page instead, so that the whole map comes into view: when part of the
 * map was outside the window, the page moves between mousedown and mouseup, the button is
 * released over another spot and the click that was aimed at a line reaches only the map. That
 * lost the first click after every page load; here the container is focused without scrolling.
 */
window.allianzFocusWithoutScroll = function (map) {
    var keyboard = map.keyboard;
    if (!keyboard) {
        return;
    }
    var enabled = keyboard.enabled();
    if (enabled) {
        keyboard.disable(); // its listeners are bound when enabled: re-bind with ours
    }
    keyboard._onMouseDown = function () {
        if (!this._focused) {
            this._map.getContainer().focus({preventScroll: true});
        }
    };
    if (enabled) {
        keyboard.enable();
    }
};

"""Bürgerwerkstatt: World Café workshops, live card entry, dot voting, results and protocol."""

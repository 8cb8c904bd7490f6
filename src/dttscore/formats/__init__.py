"""File formats of the core, not domain code: the safe zip reader (safezip) and the signed setup package
(setup_package). They build on the domain (a setup package carries a catalogue); the domain never imports
them."""

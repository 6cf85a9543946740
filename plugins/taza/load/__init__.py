"""Landing source records in the raw layer: typing, quarantine, COPY, audit."""

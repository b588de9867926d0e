//! The generated 三会一课台账 (.xlsx): to be written after the core lands.

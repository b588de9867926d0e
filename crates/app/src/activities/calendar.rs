//! The month calendar and the members' private iCalendar feeds: to be written after the core.

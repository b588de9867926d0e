//! Party dues (issue #6): the calculator's contract on the command line and the API, the
//! members' profiles, the monthly collection, arrears, reports and imports.

mod calc;

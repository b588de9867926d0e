//! The areas of the product, each in its own folder: its routes, navigation entries and part of
//! the OpenAPI document (`mod.rs`), its pages and its JSON API beside them. A new area is a
//! folder here, its `mod` line and one line in [`AREAS`].

mod accounts;
mod awards;
mod development;
mod dues;
mod evaluations;
mod life;
mod members;
pub(crate) mod ops;
mod orgs;
pub(crate) mod points;
mod transfers;

use crate::routes::Area;

pub(crate) const AREAS: &[Area] = &[
    ops::AREA,
    accounts::AREA,
    orgs::AREA,
    members::AREA,
    transfers::AREA,
    dues::AREA,
    development::AREA,
    life::AREA,
    points::AREA,
    evaluations::AREA,
    awards::AREA,
];

//! The tables of the geographic service.

/// Addresses of the Base Adresse Nationale, by collectivité.
pub mod adresse {
    use sea_orm::entity::prelude::*;

    /// One address (a number on a street, or a lieu-dit).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sig_adresse")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// The BAN key (`cle_interop`), unique in the collectivité: `54084_0200_00001`.
        pub cle_interop: String,
        /// COG code of the commune.
        pub commune_insee: String,
        /// Name of the commune.
        pub commune_nom: Option<String>,
        /// Postcode, when the file gives it.
        pub code_postal: Option<String>,
        /// Name of the street.
        pub voie_nom: String,
        /// Lieu-dit complementing the street.
        pub lieudit: Option<String>,
        /// Number, `99999` for a place without a number.
        pub numero: i32,
        /// Suffix (`bis`, `ter`, `a`…).
        pub suffixe: Option<String>,
        /// Street line: « 16 b Bonvillers Village ».
        pub libelle: String,
        /// Kind of position (`entrée`, `segment`…).
        pub position: Option<String>,
        /// Lambert-93 easting in metres (mainland France).
        pub x: Option<f64>,
        /// Lambert-93 northing in metres (mainland France).
        pub y: Option<f64>,
        /// WGS84 longitude.
        pub lon: f64,
        /// WGS84 latitude.
        pub lat: f64,
        /// Normalised words searched by `q=`.
        pub recherche: String,
        /// When it was first imported.
        pub cree_le: DateTimeUtc,
        /// When an import last changed it.
        pub modifie_le: DateTimeUtc,
    }

    crate::entite_par_collectivite!(pub);
}

/// Areas (bureaux de vote, school sectors…), each tied to a record of a module.
pub mod zone {
    use sea_orm::entity::prelude::*;

    /// One area.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sig_zone")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// Kind of area: `bureau_de_vote`, `secteur_scolaire`…
        pub nature: String,
        /// The record of a module the area belongs to (a bureau's id…), unique per kind.
        pub reference: String,
        /// Name shown on maps.
        pub nom: String,
        /// The polygon or multi-polygon, GeoJSON geometry in WGS84.
        pub geometrie: String,
        /// Bounding box: west.
        pub min_lon: f64,
        /// Bounding box: south.
        pub min_lat: f64,
        /// Bounding box: east.
        pub max_lon: f64,
        /// Bounding box: north.
        pub max_lat: f64,
        /// When it was created.
        pub cree_le: DateTimeUtc,
    }

    crate::entite_par_collectivite!(pub);
}

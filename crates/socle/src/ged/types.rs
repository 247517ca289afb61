//! Which files the GED accepts: the type is told from the content's first bytes, never from
//! the name or the browser's word, and the name's extension must agree with it.

/// A kind of file the GED accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeAccepte {
    /// Media type stored with the version and sent on download.
    pub type_mime: &'static str,
    /// The name agents know it by.
    pub libelle: &'static str,
    /// File name extensions that go with it (lower case, without the dot).
    pub extensions: &'static [&'static str],
}

/// The kinds of file accepted: what a town hall scans, writes and photographs. Executables,
/// archives, scripts and office files with macros are refused.
pub const TYPES_ACCEPTES: &[TypeAccepte] = &[
    TypeAccepte {
        type_mime: "application/pdf",
        libelle: "PDF",
        extensions: &["pdf"],
    },
    TypeAccepte {
        type_mime: "image/png",
        libelle: "image PNG",
        extensions: &["png"],
    },
    TypeAccepte {
        type_mime: "image/jpeg",
        libelle: "image JPEG",
        extensions: &["jpg", "jpeg"],
    },
    TypeAccepte {
        type_mime: "image/tiff",
        libelle: "image TIFF",
        extensions: &["tif", "tiff"],
    },
    TypeAccepte {
        type_mime: "image/webp",
        libelle: "image WebP",
        extensions: &["webp"],
    },
    TypeAccepte {
        type_mime: "application/vnd.oasis.opendocument.text",
        libelle: "texte OpenDocument (ODT)",
        extensions: &["odt"],
    },
    TypeAccepte {
        type_mime: "application/vnd.oasis.opendocument.spreadsheet",
        libelle: "tableur OpenDocument (ODS)",
        extensions: &["ods"],
    },
    TypeAccepte {
        type_mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        libelle: "document Word (DOCX)",
        extensions: &["docx"],
    },
    TypeAccepte {
        type_mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        libelle: "classeur Excel (XLSX)",
        extensions: &["xlsx"],
    },
    TypeAccepte {
        type_mime: "text/xml",
        libelle: "XML",
        extensions: &["xml"],
    },
    TypeAccepte {
        type_mime: "text/csv",
        libelle: "CSV",
        extensions: &["csv"],
    },
    TypeAccepte {
        type_mime: "text/plain",
        libelle: "texte",
        extensions: &["txt"],
    },
];

/// Why a file's type is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TypeRefuse {
    /// The content is of a kind the GED does not keep.
    #[error(
        "le fichier « {nom} » est de type {detecte} : seuls les fichiers {acceptes} sont acceptés"
    )]
    NonAutorise {
        /// The file name.
        nom: String,
        /// What the content is.
        detecte: String,
        /// The accepted kinds, for the message.
        acceptes: String,
    },
    /// The name's extension says one thing, the content another.
    #[error(
        "le fichier « {nom} » contient un fichier {detecte} alors que son nom annonce « .{extension} » : déposez le bon fichier ou corrigez son nom"
    )]
    Incoherent {
        /// The file name.
        nom: String,
        /// What the content is.
        detecte: &'static str,
        /// The name's extension.
        extension: String,
    },
}

fn acceptes() -> String {
    TYPES_ACCEPTES
        .iter()
        .map(|t| t.libelle)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Tells the type of `octets`, named `nom` by the agent, and checks that it is accepted and
/// that the name agrees.
///
/// # Errors
/// The content is of a refused kind, or the extension contradicts it.
pub fn reconnaitre(nom: &str, octets: &[u8]) -> Result<&'static TypeAccepte, TypeRefuse> {
    let extension = nom
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .filter(|ext| !ext.is_empty() && ext.len() <= 5);
    let type_mime = match infer::get(octets) {
        Some(t) => t.mime_type(),
        None if texte(octets) => match extension.as_deref() {
            Some("csv") => "text/csv",
            Some("xml") => "text/xml",
            _ => "text/plain",
        },
        None => {
            return Err(TypeRefuse::NonAutorise {
                nom: nom.to_owned(),
                detecte: "inconnu (ni texte, ni format reconnu)".to_owned(),
                acceptes: acceptes(),
            });
        }
    };
    let type_mime = if type_mime == "application/xml" {
        "text/xml"
    } else {
        type_mime
    };
    let Some(accepte) = TYPES_ACCEPTES.iter().find(|t| t.type_mime == type_mime) else {
        return Err(TypeRefuse::NonAutorise {
            nom: nom.to_owned(),
            detecte: type_mime.to_owned(),
            acceptes: acceptes(),
        });
    };
    match extension {
        Some(ext) if !accepte.extensions.contains(&ext.as_str()) => {
            // A text file may carry any extension of text (`.txt`, `.csv`, `.xml`).
            let texte_avec_autre_extension = accepte.type_mime.starts_with("text/")
                && TYPES_ACCEPTES
                    .iter()
                    .filter(|t| t.type_mime.starts_with("text/"))
                    .any(|t| t.extensions.contains(&ext.as_str()));
            if texte_avec_autre_extension {
                Ok(accepte)
            } else {
                Err(TypeRefuse::Incoherent {
                    nom: nom.to_owned(),
                    detecte: accepte.libelle,
                    extension: ext,
                })
            }
        }
        _ => Ok(accepte),
    }
}

/// Whether the content is text: UTF-8 without control characters other than tabs and line
/// ends.
fn texte(octets: &[u8]) -> bool {
    std::str::from_utf8(octets).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{feff}'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(
            reconnaitre("acte.pdf", PDF).map(|t| t.type_mime),
            Ok("application/pdf")
        );
        assert_eq!(
            reconnaitre("sans-extension", PNG).map(|t| t.type_mime),
            Ok("image/png")
        );
        assert_eq!(
            reconnaitre("liste.csv", "nom;prénom\nDupont;Zoé\n".as_bytes()).map(|t| t.type_mime),
            Ok("text/csv")
        );
        assert_eq!(
            reconnaitre("note.txt", b"Bonjour").map(|t| t.type_mime),
            Ok("text/plain")
        );
    }

    #[test]
    fn a_name_contradicting_the_content_is_refused() {
        let err = reconnaitre("photo.pdf", PNG).expect_err("a PNG named .pdf");
        assert!(matches!(err, TypeRefuse::Incoherent { .. }));
        assert!(err.to_string().contains("image PNG"), "{err}");
    }

    #[test]
    fn executables_and_unknown_binaries_are_refused() {
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0";
        let err = reconnaitre("facture.exe", exe).expect_err("an executable");
        assert!(matches!(err, TypeRefuse::NonAutorise { .. }), "{err}");
        assert!(err.to_string().contains("PDF"), "{err}");
        let err = reconnaitre("donnees.bin", &[0, 1, 2, 3, 255]).expect_err("unknown");
        assert!(err.to_string().contains("inconnu"), "{err}");
    }
}

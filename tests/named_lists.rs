//! Every list of names (activations, losses, diagnosis ids) has one definition: each name is
//! documented where it is defined, lesson files spell it as the command line does, and the
//! user's documentation mentions it. Adding a variant without its documentation fails here.

use backprop_tutor::diagnosis::DiagnosisId;
use backprop_tutor::lesson::LossKind;
use backprop_tutor::network::Activation;
use strum::{EnumMessage, IntoEnumIterator};

fn documented<T: IntoEnumIterator + EnumMessage + std::fmt::Debug>() {
    for variant in T::iter() {
        let doc = variant.get_documentation().unwrap_or_default();
        assert!(doc.trim().len() > 10, "{variant:?} needs a doc comment saying what it is");
    }
}

#[test]
fn every_name_is_documented_where_it_is_defined() {
    documented::<Activation>();
    documented::<LossKind>();
    documented::<DiagnosisId>();
}

#[test]
fn lesson_files_and_the_command_line_spell_names_alike() {
    for activation in Activation::iter() {
        let serde = serde_json::to_value(activation).unwrap();
        assert_eq!(serde, activation.name(), "{activation:?}");
        assert_eq!(activation.name().parse::<Activation>(), Ok(activation));
    }
    for loss in LossKind::iter() {
        assert_eq!(serde_json::to_value(loss).unwrap(), loss.name(), "{loss:?}");
        assert_eq!(loss.name().parse::<LossKind>(), Ok(loss));
    }
    for id in DiagnosisId::iter() {
        assert_eq!(serde_json::to_value(id).unwrap(), id.name(), "{id:?}");
        assert_eq!(id.to_string(), id.name());
    }
}

#[test]
fn the_readme_names_every_diagnosis_and_activation() {
    let readme = include_str!("../README.md");
    for id in DiagnosisId::iter() {
        assert!(readme.contains(&format!("`{}`", id.name())), "README.md does not mention `{}`", id.name());
    }
    for activation in Activation::iter() {
        assert!(readme.contains(activation.name()), "README.md does not mention {}", activation.name());
    }
}

#[test]
fn new_offers_every_activation_and_loss_with_its_help() {
    let output =
        assert_cmd::cargo::cargo_bin_cmd!("backprop-tutor").args(["new", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for activation in Activation::iter() {
        let doc = activation.get_documentation().unwrap();
        assert!(help.contains(activation.name()) && help.contains(doc.trim()), "{activation:?} in:\n{help}");
    }
    for loss in LossKind::iter() {
        assert!(help.contains(loss.name()), "{loss:?}");
    }
}

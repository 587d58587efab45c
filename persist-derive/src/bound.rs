//! The generics of the derived impl: the user's, plus bounds inferred on the types of the fields
//! (as thiserror's `InferredBounds` does), or the ones the user wrote with `bound = "..."`.
//!
//! A field whose type mentions a type parameter adds `FieldType: Persist` when it is written,
//! and `FieldType: Default` when reading may fill it with `Default::default()` (skipped, or
//! `default`). Bounding the field's type rather than the parameter is what makes
//! `struct S<T> { x: Rc<T> }` (whose impl needs `T: 'static`) and
//! `struct M<K, V> { m: HashMap<K, V> }` (which needs `K: Eq + Hash + Ord`) derive: the impl
//! asks exactly what the field's own impl asks. A field that mentions no parameter adds nothing;
//! a parameter used only by skipped fields is not bounded by `Persist` at all.
//!
//! `#[persist(bound = "T: Persist + Clone")]` on the container replaces every inferred bound;
//! on a field it replaces that field's. An empty string (`bound = ""`) means no bound.

use std::collections::HashSet;

use crate::ast::{Container, Data, Field};

/// The container's generics with the bounds above added to the where clause. `persist` is the
/// path of the runtime crate as the generated code spells it.
pub fn with_bounds(cont: &Container, persist: &syn::Path) -> syn::Generics {
    let mut generics = cont.generics().clone();
    if let Some(bound) = &cont.attrs.bound {
        generics
            .make_where_clause()
            .predicates
            .extend(bound.iter().cloned());
        return generics;
    }
    let params: HashSet<syn::Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    if params.is_empty() || cont.converts_both_ways() {
        // Converted both ways (`into` and `from`/`try_from`), no field is written or read.
        return generics;
    }
    let persist_bound: syn::Path = syn::parse_quote!(#persist::Persist);
    let default_bound: syn::Path = syn::parse_quote!(::core::default::Default);
    let mut predicates: Vec<syn::WherePredicate> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |predicate: syn::WherePredicate| {
        if seen.insert(quote::ToTokens::to_token_stream(&predicate).to_string()) {
            predicates.push(predicate);
        }
    };
    for field in read_fields(cont) {
        if let Some(bound) = &field.attrs.bound {
            bound.iter().cloned().for_each(&mut push);
            continue;
        }
        let usage = usage_of(field.ty(), &params);
        if usage.used.is_empty() && usage.associated.is_empty() {
            continue;
        }
        // A field of the container's own type (`Box<Tree<T>>`) cannot bound itself (the
        // bound would need the impl it is part of): it bounds the parameters it uses instead.
        let targets: Vec<syn::Type> = if mentions_ident(field.ty(), cont.ident()) {
            let mut targets: Vec<syn::Type> = generics
                .type_params()
                .filter(|p| usage.used.contains(&p.ident))
                .map(|p| {
                    let ident = &p.ident;
                    syn::parse_quote!(#ident)
                })
                .collect();
            targets.extend(
                usage
                    .associated
                    .iter()
                    .map(|t| syn::Type::Path((*t).clone())),
            );
            targets
        } else {
            vec![field.ty().clone()]
        };
        for ty in targets {
            if field.uses_persist() {
                push(syn::parse_quote!(#ty: #persist_bound));
            }
            if field.uses_default_trait() && cont.attrs.write_only.is_none() {
                push(syn::parse_quote!(#ty: #default_bound));
            }
        }
    }
    // A container `default` builds the whole struct with `Default::default()`.
    if matches!(cont.attrs.default, crate::attr::Default::Trait) {
        push(syn::parse_quote!(Self: #default_bound));
    }
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

/// Which of `params` `ty` mentions (directly or through an associated type).
fn usage_of<'p, 't>(ty: &'t syn::Type, params: &'p HashSet<syn::Ident>) -> Usage<'p, 't> {
    let mut usage = Usage {
        params,
        used: HashSet::new(),
        associated: Vec::new(),
    };
    usage.visit_type(ty);
    usage
}

/// Whether the tokens of `ty` contain the identifier `ident`.
fn mentions_ident(ty: &syn::Type, ident: &syn::Ident) -> bool {
    fn walk(tokens: proc_macro2::TokenStream, ident: &syn::Ident) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => i == *ident,
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), ident),
            _ => false,
        })
    }
    walk(quote::ToTokens::to_token_stream(ty), ident)
}

/// The fields of the struct, or of the variants that are not skipped: those that reading fills,
/// from the archive or with a default.
fn read_fields<'c, 'a>(cont: &'c Container<'a>) -> impl Iterator<Item = &'c Field<'a>> {
    let fields: Vec<&'c Field<'a>> = match &cont.data {
        Data::Struct(_, fields) => fields.iter().collect(),
        Data::Enum(variants) => variants
            .iter()
            .filter(|v| !v.attrs.skip)
            .flat_map(|v| v.fields.iter())
            .collect(),
    };
    fields.into_iter()
}

/// Which type parameters a type mentions, walking every part of it.
struct Usage<'p, 't> {
    params: &'p HashSet<syn::Ident>,
    /// Type parameters used directly: `T`, `Vec<T>`, `&'a [T]`.
    used: HashSet<syn::Ident>,
    /// Associated types of type parameters: `T::Item`.
    associated: Vec<&'t syn::TypePath>,
}

impl<'t> Usage<'_, 't> {
    fn visit_type(&mut self, ty: &'t syn::Type) {
        match ty {
            syn::Type::Array(ty) => self.visit_type(&ty.elem),
            syn::Type::FnPtr(ty) => {
                for arg in &ty.inputs {
                    self.visit_type(&arg.ty);
                }
                self.visit_return_type(&ty.output);
            }
            syn::Type::Group(ty) => self.visit_type(&ty.elem),
            syn::Type::ImplTrait(ty) => self.visit_bounds(&ty.bounds),
            syn::Type::Paren(ty) => self.visit_type(&ty.elem),
            syn::Type::Path(ty) => self.visit_type_path(ty),
            syn::Type::Ptr(ty) => self.visit_type(&ty.elem),
            syn::Type::Reference(ty) => self.visit_type(&ty.elem),
            syn::Type::Slice(ty) => self.visit_type(&ty.elem),
            syn::Type::TraitObject(ty) => self.visit_bounds(&ty.bounds),
            syn::Type::Tuple(ty) => {
                for elem in &ty.elems {
                    self.visit_type(elem);
                }
            }
            // Nothing to see inside: `_`, `!`, a macro's tokens, tokens syn does not model.
            _ => {}
        }
    }

    fn visit_type_path(&mut self, ty: &'t syn::TypePath) {
        if let Some(qself) = &ty.qself {
            self.visit_type(&qself.ty);
        } else if ty.path.leading_colon.is_none()
            && let Some(first) = ty.path.segments.first()
            && self.params.contains(&first.ident)
        {
            if ty.path.segments.len() == 1 {
                self.used.insert(first.ident.clone());
            } else {
                self.associated.push(ty);
            }
        }
        self.visit_path(&ty.path);
    }

    fn visit_path(&mut self, path: &'t syn::Path) {
        for segment in &path.segments {
            match &segment.arguments {
                syn::PathArguments::None => {}
                syn::PathArguments::AngleBracketed(args) => {
                    for arg in &args.args {
                        match arg {
                            syn::GenericArgument::Type(ty) => self.visit_type(ty),
                            syn::GenericArgument::AssocType(assoc) => self.visit_type(&assoc.ty),
                            syn::GenericArgument::Constraint(constraint) => {
                                self.visit_bounds(&constraint.bounds);
                            }
                            _ => {}
                        }
                    }
                }
                syn::PathArguments::Parenthesized(args) => {
                    for arg in &args.inputs {
                        self.visit_type(&arg.ty);
                    }
                    self.visit_return_type(&args.output);
                }
            }
        }
    }

    fn visit_return_type(&mut self, output: &'t syn::ReturnType) {
        if let syn::ReturnType::Type(_, ty) = output {
            self.visit_type(ty);
        }
    }

    fn visit_bounds<P>(&mut self, bounds: &'t syn::punctuated::Punctuated<syn::TypeParamBound, P>) {
        for bound in bounds {
            if let syn::TypeParamBound::Trait(bound) = bound {
                self.visit_path(&bound.path);
            }
        }
    }
}

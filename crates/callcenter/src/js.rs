//! Placeholder: JavaScript value semantics land here.

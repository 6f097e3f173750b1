// Passwords with letters and cases beyond ASCII, and the rules each fails
// with the basic policy: one table, included by src/core/password.rs (Rust's
// Unicode tables) and tests/wasm_api.rs (the platform's `\p{...}` classes),
// so the two must agree.
&[
    ("Äpfel-und-birnen-12", &[][..]),
    ("ÄÖÜ-ÇÉ-ÑØ-12", &["upper_and_lower"][..]),
    ("пароль-12345-ж", &["upper_and_lower"][..]),
    ("ПАРОЛЬ-пароль-17", &[][..]),
    ("中文密码中文密码19", &["upper_and_lower"][..]),
    ("١٢٣٤٥٦٧٨-abc-Z", &["number"][..]),
    ("ǅ-ǆ-Ǆ-1234-xyz", &[][..]),
    ("Ⓐⓑ-circled-1234", &[][..]),
    ("ßßßß-ßßßß-1234", &["upper_and_lower"][..]),
]

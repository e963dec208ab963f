//! The report: sections of Markdown tables, printed and written to a file.

#[derive(Default)]
pub struct Report {
    text: String,
}

impl Report {
    pub fn heading(&mut self, title: &str, note: &str) {
        self.text.push_str(&format!("\n## {title}\n\n"));
        if !note.is_empty() {
            self.text.push_str(note);
            self.text.push_str("\n\n");
        }
    }

    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.text.push_str(&format!("| {} |\n", header.join(" | ")));
        self.text
            .push_str(&format!("|{}\n", "---|".repeat(header.len())));
        for row in rows {
            self.text.push_str(&format!("| {} |\n", row.join(" | ")));
        }
    }

    pub fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

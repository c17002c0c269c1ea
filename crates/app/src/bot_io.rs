//! The knowledge base as a spreadsheet: import from CSV or xlsx, export to either.
//!
//! Columns, by their header (Korean or English, any order): `분류`/`category`,
//! `질문`/`questions` (one question a line), `답변`/`answer` (a text, or Open Builder's
//! template as JSON when it starts with `{`), `사용`/`enabled` (`Y`/`N`, `true`/`false`,
//! `1`/`0`; on when absent). Exports write the Korean headers.

use std::io::Cursor;

use protocol::kakao::SkillTemplate;
use serde::Deserialize;

use crate::bot::{EntryInput, EntryView, text_template};
use crate::error::AppError;

/// A spreadsheet's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

impl SheetFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            SheetFormat::Csv => "text/csv; charset=utf-8",
            SheetFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Csv => "csv",
            SheetFormat::Xlsx => "xlsx",
        }
    }
}

const HEADERS: [&str; 4] = ["분류", "질문", "답변", "사용"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Category,
    Questions,
    Answer,
    Enabled,
}

fn column(header: &str) -> Option<Column> {
    match header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .as_str()
    {
        "분류" | "category" => Some(Column::Category),
        "질문" | "questions" | "question" => Some(Column::Questions),
        "답변" | "answer" => Some(Column::Answer),
        "사용" | "enabled" => Some(Column::Enabled),
        _ => None,
    }
}

fn problem(row: usize, field: &str, message: impl Into<String>) -> (String, String) {
    (format!("rows[{row}].{field}"), message.into())
}

/// Reads a sheet's rows (the first is the header) into entries; every unreadable row is
/// named (its line as a spreadsheet counts it, the header being 1).
pub fn read_entries(format: SheetFormat, bytes: &[u8]) -> Result<Vec<EntryInput>, AppError> {
    let rows = match format {
        SheetFormat::Csv => csv_rows(bytes)?,
        SheetFormat::Xlsx => xlsx_rows(bytes)?,
    };
    let mut rows = rows.into_iter();
    let header = rows
        .next()
        .ok_or_else(|| AppError::Fields(vec![("file".into(), "is empty: no header row".into())]))?;
    let columns: Vec<Option<Column>> = header.iter().map(|h| column(h)).collect();
    for needed in [Column::Questions, Column::Answer] {
        if !columns.contains(&Some(needed)) {
            return Err(AppError::Fields(vec![(
                "file".into(),
                "needs the columns 질문 (questions) and 답변 (answer) in its first row".into(),
            )]));
        }
    }
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in rows.enumerate() {
        let line = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |want: Column| -> &str {
            columns
                .iter()
                .position(|c| *c == Some(want))
                .and_then(|at| row.get(at))
                .map_or("", String::as_str)
        };
        let questions: Vec<String> = cell(Column::Questions)
            .lines()
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty())
            .collect();
        let answer_text = cell(Column::Answer).trim();
        let answer = if answer_text.starts_with('{') {
            match serde_json::from_str::<SkillTemplate>(answer_text) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(problem(line, "answer", format!("is not a template: {e}")));
                    continue;
                }
            }
        } else {
            text_template(answer_text)
        };
        let enabled = match cell(Column::Enabled).trim().to_lowercase().as_str() {
            "" | "y" | "yes" | "true" | "1" | "on" | "사용" => true,
            "n" | "no" | "false" | "0" | "off" | "미사용" => false,
            other => {
                problems.push(problem(line, "enabled", format!("{other:?} is not Y or N")));
                continue;
            }
        };
        entries.push(EntryInput {
            category: cell(Column::Category).trim().to_owned(),
            enabled,
            questions,
            answer,
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Fields(problems));
    }
    Ok(entries)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::Fields(vec![(
            "file".into(),
            "is not UTF-8 text (save the CSV as UTF-8)".into(),
        )])
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::Fields(vec![(
                format!("rows[{}]", i + 1),
                format!("unreadable CSV: {e}"),
            )])
        })?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Reader, Xlsx};
    let unreadable = |e: String| {
        AppError::Fields(vec![(
            "file".into(),
            format!("is not an xlsx workbook: {e}"),
        )])
    };
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| unreadable(e.to_string()))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("it has no sheet".into()))?
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect())
}

fn row_of(e: &EntryView) -> [String; 4] {
    let answer = match e.answer.outputs.as_slice() {
        [protocol::kakao::Output::SimpleText(t)] if e.answer.quick_replies.is_empty() => {
            t.text.clone()
        }
        _ => serde_json::to_string(&e.answer).unwrap_or_default(),
    };
    [
        e.category.clone(),
        e.questions.join("\n"),
        answer,
        if e.enabled { "Y" } else { "N" }.to_owned(),
    ]
}

/// The entries as a sheet the import reads back.
pub fn write_entries(format: SheetFormat, entries: &[EntryView]) -> Result<Vec<u8>, AppError> {
    let internal = |e: String| AppError::Internal(format!("writing the knowledge base: {e}"));
    match format {
        SheetFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADERS)
                .map_err(|e| internal(e.to_string()))?;
            for e in entries {
                w.write_record(row_of(e))
                    .map_err(|e| internal(e.to_string()))?;
            }
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend(w.into_inner().map_err(|e| internal(e.to_string()))?);
            Ok(out)
        }
        SheetFormat::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (c, h) in HEADERS.iter().enumerate() {
                sheet
                    .write_string(0, c as u16, *h)
                    .map_err(|e| internal(e.to_string()))?;
            }
            for (r, e) in entries.iter().enumerate() {
                for (c, v) in row_of(e).iter().enumerate() {
                    sheet
                        .write_string(r as u32 + 1, c as u16, v)
                        .map_err(|e| internal(e.to_string()))?;
                }
            }
            book.save_to_buffer().map_err(|e| internal(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(questions: &[&str], answer: &str, enabled: bool) -> EntryView {
        EntryView {
            id: 1,
            category: "배송".into(),
            enabled,
            questions: questions.iter().map(|q| (*q).to_owned()).collect(),
            answer: text_template(answer),
            updated_at: 0,
        }
    }

    #[test]
    fn both_formats_read_back_what_they_wrote() {
        let entries = vec![
            view(
                &["배송 언제 와요", "택배 도착 언제"],
                "2~3일 걸립니다, \"평일\" 기준",
                true,
            ),
            view(&["환불"], "마이페이지에서", false),
        ];
        for format in [SheetFormat::Csv, SheetFormat::Xlsx] {
            let bytes = write_entries(format, &entries).unwrap_or_default();
            let read = read_entries(format, &bytes).unwrap_or_default();
            assert_eq!(read.len(), 2, "{format:?}");
            assert_eq!(read[0].questions, ["배송 언제 와요", "택배 도착 언제"]);
            assert_eq!(read[0].answer, entries[0].answer);
            assert!(read[0].enabled && !read[1].enabled);
            assert_eq!(read[1].category, "배송");
        }
    }

    #[test]
    fn english_headers_in_any_order_and_bad_rows_named() {
        let csv =
            "answer,questions,enabled\n안녕하세요,인사,Y\n답,질문,maybe\n,,\n{broken,질문2,\n";
        match read_entries(SheetFormat::Csv, csv.as_bytes()) {
            Err(AppError::Fields(p)) => {
                let fields: Vec<&str> = p.iter().map(|(f, _)| f.as_str()).collect();
                assert_eq!(fields, ["rows[3].enabled", "rows[5].answer"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_entries(SheetFormat::Csv, b"category\nx\n"),
            Err(AppError::Fields(_))
        ));
        assert!(matches!(
            read_entries(SheetFormat::Xlsx, b"not a zip"),
            Err(AppError::Fields(_))
        ));
    }
}

//! The workbook of one or more countries' reports for a period (see the module above for the
//! layout). Cells people fill are unlocked; keys, names and rules are locked on a protected
//! sheet (no password: protection guards against slips, not people), so the workbook reads
//! back as written.

use rust_xlsxwriter::{
    Color, DataValidation, ExcelDateTime, Format, FormatAlign, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};
use strum::VariantArray;

use super::{
    header, sheet_name, Column, RowKey, TemplateReport, MARK, META_SHEET, TEMPLATE_VERSION,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::indicators::model::{fmt_number, Indicator, IndicatorKind};
use crate::lang::Locale;
use crate::periods::model::Period;
use crate::progress::workflow::Status;

/// What may go in an indicator's value cell, in `locale`.
pub fn rules(ind: &Indicator, locale: Locale) -> String {
    let mut parts = vec![ind.kind.label_in(locale).to_string()];
    if let Some(u) = ind.unit.as_deref().filter(|u| !u.is_empty()) {
        parts.push(td_string!(locale, imports.rule_unit, unit = u).to_string());
    }
    let (min, max) = match ind.kind {
        IndicatorKind::Percentage => (ind.min.or(Some(0.0)), ind.max.or(Some(100.0))),
        _ => (ind.min, ind.max),
    };
    match (min, max) {
        (Some(a), Some(b)) => parts.push(
            td_string!(
                locale,
                imports.rule_between,
                min = fmt_number(a),
                max = fmt_number(b)
            )
            .to_string(),
        ),
        (Some(a), None) => {
            parts.push(td_string!(locale, imports.rule_min, min = fmt_number(a)).to_string())
        }
        (None, Some(b)) => {
            parts.push(td_string!(locale, imports.rule_max, max = fmt_number(b)).to_string())
        }
        (None, None) => {}
    }
    if ind.kind == IndicatorKind::YesNo {
        parts.push(
            td_string!(
                locale,
                imports.rule_yes_no,
                yes = td_string!(locale, common.yes),
                no = td_string!(locale, common.no)
            )
            .to_string(),
        );
    }
    if ind.required {
        parts.push(td_string!(locale, imports.rule_required).to_string());
    }
    parts.join("; ")
}

fn internal(e: XlsxError) -> AppError {
    tracing::error!("writing a progress workbook: {e}");
    AppError::Internal
}

struct Formats {
    header: Format,
    locked: Format,
    title: Format,
    open: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        let grey = Color::RGB(0xEEEEEE);
        let top = |f: Format| f.set_align(FormatAlign::Top).set_text_wrap();
        Self {
            header: top(Format::new().set_bold().set_background_color(grey)),
            locked: top(Format::new().set_background_color(grey)),
            title: top(Format::new().set_bold().set_background_color(grey)),
            open: top(Format::new().set_unlocked()),
            date: top(Format::new().set_unlocked().set_num_format("yyyy-mm-dd")),
        }
    }
}

/// The workbook of `reports` for `period`, in `locale`. `indicators` are the active ones, in
/// order.
pub fn workbook(
    period: &Period,
    reports: &[TemplateReport],
    indicators: &[Indicator],
    locale: Locale,
) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let sheet = book.add_worksheet();
    write_reports(sheet, &f, reports, indicators, locale).map_err(internal)?;
    let help = book.add_worksheet();
    write_instructions(help, period, locale).map_err(internal)?;
    let meta = book.add_worksheet();
    write_meta(meta, period, reports, locale).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

fn write_reports(
    sheet: &mut Worksheet,
    f: &Formats,
    reports: &[TemplateReport],
    indicators: &[Indicator],
    locale: Locale,
) -> Result<(), XlsxError> {
    sheet.set_name(sheet_name(locale))?;
    for column in Column::VARIANTS {
        sheet.write_string_with_format(
            0,
            column.index() as u16,
            header(*column, locale),
            &f.header,
        )?;
    }
    let widths = [10.0, 16.0, 40.0, 22.0, 60.0, 40.0, 12.0, 14.0, 36.0];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let col = |c: Column| c.index() as u16;
    let labels: Vec<&str> = Status::VARIANTS.iter().map(|s| s.label(locale)).collect();
    let yes_no = [
        td_string!(locale, common.yes),
        td_string!(locale, common.no),
    ];
    let mut row: u32 = 1;
    for report in reports {
        for (number, title, values) in &report.entries {
            let key = RowKey {
                iso2: &report.iso2,
                recommendation: *number,
                indicator: None,
            };
            sheet.write_string_with_format(row, col(Column::Key), key.to_string(), &f.locked)?;
            sheet.write_string_with_format(
                row,
                col(Column::Country),
                &report.country,
                &f.locked,
            )?;
            sheet.write_string_with_format(
                row,
                col(Column::Item),
                format!("{number}. {title}"),
                &f.title,
            )?;
            let status = values.status.map(|s| s.label(locale)).unwrap_or_default();
            sheet.write_string_with_format(row, col(Column::Status), status, &f.open)?;
            sheet.write_string_with_format(
                row,
                col(Column::Narrative),
                &values.narrative,
                &f.open,
            )?;
            sheet.write_string_with_format(
                row,
                col(Column::Evidence),
                values.evidence.join("\n"),
                &f.open,
            )?;
            match values.as_of.as_deref().map(ExcelDateTime::parse_from_str) {
                Some(Ok(d)) => {
                    sheet.write_datetime_with_format(row, col(Column::AsOf), &d, &f.date)?;
                }
                _ => {
                    sheet.write_blank(row, col(Column::AsOf), &f.date)?;
                }
            }
            sheet.write_blank(row, col(Column::Value), &f.locked)?;
            sheet.write_blank(row, col(Column::Rules), &f.locked)?;
            sheet.add_data_validation(
                row,
                col(Column::Status),
                row,
                col(Column::Status),
                &DataValidation::new().allow_list_strings(&labels)?,
            )?;
            row += 1;
            for ind in indicators.iter().filter(|i| i.recommendation == *number) {
                let key = RowKey {
                    indicator: Some(ind.id),
                    ..key
                };
                sheet.write_string_with_format(
                    row,
                    col(Column::Key),
                    key.to_string(),
                    &f.locked,
                )?;
                sheet.write_string_with_format(
                    row,
                    col(Column::Country),
                    &report.country,
                    &f.locked,
                )?;
                sheet.write_string_with_format(
                    row,
                    col(Column::Item),
                    format!("    {}", ind.name),
                    &f.locked,
                )?;
                for c in [
                    Column::Status,
                    Column::Narrative,
                    Column::Evidence,
                    Column::AsOf,
                ] {
                    sheet.write_blank(row, col(c), &f.locked)?;
                }
                let value = values
                    .indicators
                    .iter()
                    .find(|(id, _)| *id == ind.id)
                    .map(|(_, v)| v.as_str());
                let cell = col(Column::Value);
                match (ind.kind, value) {
                    (_, None) => {
                        sheet.write_blank(row, cell, &f.open)?;
                    }
                    (IndicatorKind::Number | IndicatorKind::Percentage, Some(v)) => {
                        match v.parse::<f64>() {
                            Ok(n) => sheet.write_number_with_format(row, cell, n, &f.open)?,
                            Err(_) => sheet.write_string_with_format(row, cell, v, &f.open)?,
                        };
                    }
                    (IndicatorKind::YesNo, Some(v)) => {
                        let shown = match v {
                            "yes" => yes_no[0],
                            "no" => yes_no[1],
                            other => other,
                        };
                        sheet.write_string_with_format(row, cell, shown, &f.open)?;
                    }
                    (IndicatorKind::Text, Some(v)) => {
                        sheet.write_string_with_format(row, cell, v, &f.open)?;
                    }
                }
                if ind.kind == IndicatorKind::YesNo {
                    sheet.add_data_validation(
                        row,
                        cell,
                        row,
                        cell,
                        &DataValidation::new().allow_list_strings(&yes_no)?,
                    )?;
                }
                sheet.write_string_with_format(
                    row,
                    col(Column::Rules),
                    rules(ind, locale),
                    &f.locked,
                )?;
                row += 1;
            }
        }
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), col(Column::Rules))?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        sort: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

fn write_instructions(
    sheet: &mut Worksheet,
    period: &Period,
    locale: Locale,
) -> Result<(), XlsxError> {
    sheet.set_name(td_string!(locale, imports.sheet_instructions))?;
    sheet.set_column_width(0, 110.0)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let lines = [
        td_string!(locale, imports.instructions_title, period = &period.name).to_string(),
        td_string!(locale, imports.instructions_fill).to_string(),
        td_string!(locale, imports.instructions_keys).to_string(),
        td_string!(locale, imports.instructions_evidence).to_string(),
        td_string!(locale, imports.instructions_upload).to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        let format = if i == 0 {
            Format::new().set_bold()
        } else {
            wrap.clone()
        };
        sheet.write_string_with_format(i as u32, 0, line, &format)?;
    }
    sheet.protect();
    Ok(())
}

fn write_meta(
    sheet: &mut Worksheet,
    period: &Period,
    reports: &[TemplateReport],
    locale: Locale,
) -> Result<(), XlsxError> {
    sheet.set_name(META_SHEET)?;
    sheet.write_string(0, 0, MARK)?;
    sheet.write_string(1, 0, "template_version")?;
    sheet.write_number(1, 1, TEMPLATE_VERSION as f64)?;
    sheet.write_string(2, 0, "period_id")?;
    sheet.write_number(2, 1, period.id as f64)?;
    sheet.write_string(3, 0, "period")?;
    sheet.write_string(3, 1, &period.name)?;
    sheet.write_string(4, 0, "language")?;
    sheet.write_string(4, 1, locale.tag())?;
    sheet.write_string(5, 0, "sheet")?;
    sheet.write_string(5, 1, sheet_name(locale))?;
    for (i, r) in reports.iter().enumerate() {
        let row = 6 + i as u32;
        sheet.write_string(row, 0, "report")?;
        sheet.write_string(row, 1, &r.iso2)?;
        sheet.write_number(row, 2, r.version as f64)?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}

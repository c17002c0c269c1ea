//! `sangdam url …`: the chat-URL engine on the command line, with JSON output for scripts.

use clap::{Args, Subcommand};
use inflow::{
    Channel, Field, Param, Settings, Slot, SnippetOptions, Template, Var, build,
    chat_button_snippet, parse, placeholder_params,
};

use crate::Failure;

#[derive(Debug, Subcommand)]
pub enum UrlCommand {
    /// Read a chat URL and print its parameters and warnings as one JSON object.
    Parse {
        #[arg(long)]
        channel: Channel,
        #[command(flatten)]
        site: SiteArgs,
        /// The chat URL, exactly as customers open it.
        url: String,
    },
    /// Print the chat URL a site publishes.
    Build {
        #[arg(long)]
        channel: Channel,
        /// The channel's chat URL without parameters.
        #[arg(long)]
        base: String,
        /// A parameter value, `name=value` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Append every enabled custom slot as a placeholder (`parameter1={유입경로}`).
        #[arg(long)]
        placeholders: bool,
        /// With --placeholders: fixed parameters to append as placeholders too.
        #[arg(long, value_delimiter = ',', requires = "placeholders")]
        fixed: Vec<String>,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Render a consultation-info URL template (`https://crm.example.com/view?id=[site_uid]`).
    Template {
        template: String,
        /// A variable's value, `name=value` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// Print the web chat v2 chat-button source.
    Snippet {
        #[arg(long)]
        site_id: String,
        /// Where the widget script is served.
        #[arg(long)]
        script_url: String,
        /// A fixed hosted-mall field such as `partner_id=…` or `shop_id=…` (repeatable).
        #[arg(long = "fixed", value_name = "NAME=VALUE")]
        fixed: Vec<String>,
        /// The comments' language (ko or en).
        #[arg(long, default_value = "ko")]
        lang: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// The site settings that matter to chat URLs.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Enabled custom slots, e.g. `parameter1,parameter3` (default: all ten; empty: none).
    #[arg(long, value_delimiter = ',', num_args = 0..=1)]
    enabled: Option<Vec<String>>,
    /// A custom slot's description, `parameter1=유입경로` (repeatable).
    #[arg(long = "description", value_name = "SLOT=TEXT")]
    descriptions: Vec<String>,
    /// Values of site_uid treated as "no ID" (default: undefined,null,none,nil,NaN,0,-).
    #[arg(long, value_delimiter = ',')]
    sentinels: Option<Vec<String>>,
}

impl SiteArgs {
    fn settings(&self) -> Result<Settings, Failure> {
        let mut settings = match &self.enabled {
            None => Settings::all_enabled(),
            Some(names) => {
                let slots = names
                    .iter()
                    .map(|n| n.trim())
                    .filter(|n| !n.is_empty())
                    .map(|n| n.parse::<Slot>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| Failure::Usage(format!("--enabled: {e}")))?;
                Settings::with_enabled(slots)
            }
        };
        for d in &self.descriptions {
            let (slot, text) = name_value(d, "--description")?;
            let slot: Slot = slot
                .parse()
                .map_err(|e| Failure::Usage(format!("--description: {e}")))?;
            settings.slot_mut(slot).description = text.to_owned();
        }
        if let Some(sentinels) = &self.sentinels {
            settings.sentinels = sentinels.clone();
        }
        Ok(settings)
    }
}

fn name_value<'a>(arg: &'a str, flag: &str) -> Result<(&'a str, &'a str), Failure> {
    arg.split_once('=')
        .ok_or_else(|| Failure::Usage(format!("{flag} expects NAME=VALUE, got {arg:?}")))
}

pub fn run(command: UrlCommand) -> Result<String, Failure> {
    match command {
        UrlCommand::Parse { channel, site, url } => {
            let inflow = parse(channel, &url, &site.settings()?);
            serde_json::to_string_pretty(&inflow)
                .map_err(|e| Failure::Refused(format!("could not write JSON: {e}")))
        }
        UrlCommand::Build {
            channel,
            base,
            set,
            placeholders,
            fixed,
            site,
        } => {
            let settings = site.settings()?;
            let mut params = set
                .iter()
                .map(|s| name_value(s, "--set").map(|(n, v)| Param::value(n, v)))
                .collect::<Result<Vec<_>, _>>()?;
            if placeholders {
                let fixed = fixed
                    .iter()
                    .map(|n| {
                        n.trim().parse::<Field>().map_err(|()| {
                            Failure::Usage(format!("--fixed: {n:?} is not a fixed parameter"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                // Values given with --set take precedence over their placeholders.
                let given: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
                params.extend(
                    placeholder_params(&settings, &fixed)
                        .into_iter()
                        .filter(|p| !given.contains(&p.name)),
                );
            }
            build(channel, &base, &params, &settings).map_err(|e| Failure::Refused(e.to_string()))
        }
        UrlCommand::Template { template, set } => {
            let template =
                Template::parse(&template).map_err(|e| Failure::Refused(e.to_string()))?;
            let mut values: Vec<(Var, String)> = Vec::new();
            for s in &set {
                let (name, value) = name_value(s, "--set")?;
                let var = name
                    .parse::<Var>()
                    .map_err(|e| Failure::Usage(format!("--set: {e}")))?;
                values.retain(|(v, _)| *v != var);
                values.push((var, value.to_owned()));
            }
            Ok(template.render(|var| {
                values
                    .iter()
                    .find(|(v, _)| *v == var)
                    .map(|(_, value)| value.as_str())
            }))
        }
        UrlCommand::Snippet {
            site_id,
            script_url,
            fixed,
            lang,
            site,
        } => {
            let lang = i18n::Lang::parse(&lang)
                .ok_or_else(|| Failure::Usage(format!("--lang {lang:?}: expected ko or en")))?;
            let words = server::api::site::snippet_words(lang);
            let settings = site.settings()?;
            let fixed = fixed
                .iter()
                .map(|f| name_value(f, "--fixed"))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(chat_button_snippet(&SnippetOptions {
                site_id: &site_id,
                script_url: &script_url,
                settings: &settings,
                fixed: &fixed,
                comments: words.comments(),
            })
            .trim_end()
            .to_owned())
        }
    }
}

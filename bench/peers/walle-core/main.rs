// The smallest walle-core 0.7 implementation answering get_version and send_message, for
// `deno task load --peers`: `libob-bench-walle <http port> <ws port>` on 127.0.0.1.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use walle_core::action::{SendMessage, TryFromAction};
use walle_core::config::{HttpServer, ImplConfig, WebSocketServer};
use walle_core::obc::ImplOBC;
use walle_core::prelude::*;
use walle_core::resp::resp_error;
use walle_core::{ActionHandler, EventHandler, GetSelfs, GetStatus, GetVersion, OneBot};

struct Bench {
    next_id: AtomicU64,
}

#[async_trait]
impl GetSelfs for Bench {
    async fn get_selfs(&self) -> Vec<Selft> {
        vec![Selft { platform: "bench".into(), user_id: "bot".into() }]
    }
    async fn get_impl(&self, _selft: &Selft) -> String {
        "walle-bench".into()
    }
}

#[async_trait]
impl GetStatus for Bench {
    async fn is_good(&self) -> bool {
        true
    }
}

impl GetVersion for Bench {
    fn get_version(&self) -> Version {
        Version {
            implt: "walle-bench".into(),
            version: walle_core::VERSION.into(),
            onebot_version: "12".into(),
        }
    }
}

#[async_trait]
impl ActionHandler<Event, Action, Resp> for Bench {
    type Config = ();
    async fn start<AH, EH>(
        &self,
        _ob: &Arc<OneBot<AH, EH>>,
        _config: (),
    ) -> WalleResult<Vec<tokio::task::JoinHandle<()>>>
    where
        AH: ActionHandler<Event, Action, Resp> + Send + Sync + 'static,
        EH: EventHandler<Event, Action, Resp> + Send + Sync + 'static,
    {
        Ok(vec![])
    }
    async fn call<AH, EH>(&self, action: Action, _ob: &Arc<OneBot<AH, EH>>) -> WalleResult<Resp>
    where
        AH: ActionHandler<Event, Action, Resp> + Send + Sync + 'static,
        EH: EventHandler<Event, Action, Resp> + Send + Sync + 'static,
    {
        Ok(match action.action.as_str() {
            "get_version" => Resp::from(self.get_version()),
            "send_message" => match SendMessage::try_from_action(action) {
                Ok(_) => Resp::from(SendMessageResp {
                    message_id: self.next_id.fetch_add(1, Ordering::Relaxed).to_string(),
                    time: walle_core::util::timestamp_nano_f64(),
                }),
                Err(e) => resp_error::bad_param(e).into(),
            },
            _ => resp_error::unsupported_action("").into(),
        })
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<u16> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    let host = std::net::IpAddr::from([127, 0, 0, 1]);
    let mut config = ImplConfig::default();
    config.websocket_rev = vec![];
    config.heartbeat.enabled = false;
    config.http = vec![HttpServer { host, port: args[0], ..HttpServer::default() }];
    config.websocket = vec![WebSocketServer { host, port: args[1], access_token: None }];
    let ob = Arc::new(OneBot::new(
        Bench { next_id: AtomicU64::new(1) },
        ImplOBC::new("walle-bench".to_string()),
    ));
    ob.start((), config, true).await.unwrap();
    println!("listening {} {}", args[0], args[1]);
    ob.wait_all().await;
}

//! Who is calling: the socket's peer, or, when that peer is one of the trusted proxies
//! (`RT_TRUSTED_PROXIES`), the address the proxies name in `X-Forwarded-For`; and the key
//! sign-ins are throttled by, where an IPv6 /64 counts as one address (a single host or home
//! is commonly given a whole /64, so one address each would give it billions of budgets).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::HeaderMap;
pub use ipnet::IpNet;

/// One entry of `RT_TRUSTED_PROXIES`: an address (`10.0.0.5`, `2001:db8::1`) or a block
/// (`10.0.0.0/8`, `2001:db8::/32`).
pub fn parse_trusted_proxy(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    s.parse::<IpAddr>()
        .map(|ip| IpNet::from(ip.to_canonical()))
        .map_err(|_| {
            format!("{s:?} is neither an address nor a block such as 10.0.0.0/8 or 2001:db8::/32")
        })
}

/// Is `ip` one of the trusted proxies?
fn is_trusted(trusted: &[IpNet], ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    trusted.iter().any(|net| net.contains(&ip))
}

/// The entries of every `X-Forwarded-For` header, left to right (client first, nearest proxy
/// last).
pub fn forwarded_for(headers: &HeaderMap) -> Vec<&str> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// An `X-Forwarded-For` entry as an address: `203.0.113.9`, `2001:db8::1`, and the forms with
/// a port some proxies write (`203.0.113.9:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .or_else(|_| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .unwrap_or(hop)
                .parse::<IpAddr>()
        })
        .ok()
        .map(|ip| ip.to_canonical())
}

/// Whether the warning about an ignored `X-Forwarded-For` was logged by this process.
static WARNED: AtomicBool = AtomicBool::new(false);

/// The client's address: the socket's `peer`, unless the peer is a trusted proxy; then,
/// walking `forwarded` from the nearest hop outwards, the first address that is not a trusted
/// proxy. What lies further left was written by the client (or by proxies we do not know) and
/// is not believed: anyone can send `X-Forwarded-For: 1.2.3.4`. An entry that is not an
/// address stops the walk at the last proxy that vouched for it.
///
/// A peer that is not trusted but sends the header has its header ignored, and the first time
/// that happens the process logs a warning (behind an unlisted load balancer every client
/// would otherwise be one address, sharing one sign-in budget).
pub fn client_ip(peer: Option<IpAddr>, forwarded: &[&str], trusted: &[IpNet]) -> String {
    resolve(peer, forwarded, trusted, &WARNED)
}

fn resolve(
    peer: Option<IpAddr>,
    forwarded: &[&str],
    trusted: &[IpNet],
    warned: &AtomicBool,
) -> String {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        // No socket (requests driven in-process): nothing to vouch for a header.
        return "unknown".into();
    };
    if !is_trusted(trusted, peer) {
        if !forwarded.is_empty() && !warned.swap(true, Ordering::Relaxed) {
            warn_ignored_forwarding(peer, trusted.is_empty());
        }
        return peer.to_string();
    }
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        match parse_hop(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(trusted, ip) {
                    break;
                }
            }
            None => break,
        }
    }
    client.to_string()
}

fn warn_ignored_forwarding(peer: IpAddr, none_trusted: bool) {
    if none_trusted {
        tracing::warn!(
            %peer,
            "a request came with X-Forwarded-For while no proxy is trusted: the header is \
             ignored and the connecting address is taken as the client's. Behind a load \
             balancer or reverse proxy, list its addresses in RT_TRUSTED_PROXIES, or every user \
             shares its address in sign-in throttling and the audit log (logged once)"
        );
    } else {
        tracing::warn!(
            %peer,
            "a request came with X-Forwarded-For from an address not in RT_TRUSTED_PROXIES: \
             the header is ignored. If that address is one of your load balancers, add it \
             (logged once)"
        );
    }
}

/// The key sign-in failures are counted by for an address: an IPv6 address by its /64
/// (`2001:db8:1:2::/64`), anything else as it is.
pub fn throttle_key(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|a| a.to_canonical()) {
        Ok(IpAddr::V6(v6)) => ipnet::Ipv6Net::new(v6, 64)
            .map(|n| n.trunc().to_string())
            .unwrap_or_else(|_| v6.to_string()),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|s| parse_trusted_proxy(s).unwrap())
            .collect()
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn trusted_proxies_are_addresses_or_blocks() {
        assert_eq!(
            parse_trusted_proxy(" 10.0.0.5 ").unwrap().to_string(),
            "10.0.0.5/32"
        );
        assert_eq!(
            parse_trusted_proxy("10.1.2.3/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_trusted_proxy("2001:db8::1").unwrap().to_string(),
            "2001:db8::1/128"
        );
        assert_eq!(
            parse_trusted_proxy("::ffff:192.0.2.1").unwrap().to_string(),
            "192.0.2.1/32"
        );
        assert_eq!(parse_trusted_proxy("0.0.0.0/0").unwrap().prefix_len(), 0);
        for bad in [
            "10.0.0.0/33",
            "2001:db8::/129",
            "proxy.example.org",
            "",
            "10.0.0/8",
            "true",
        ] {
            assert!(parse_trusted_proxy(bad).is_err(), "{bad:?}");
        }
        let trusted = nets(&["10.0.0.0/8", "2001:db8::/32"]);
        assert!(is_trusted(&trusted, "10.255.0.1".parse().unwrap()));
        assert!(
            is_trusted(&trusted, "::ffff:10.0.0.2".parse().unwrap()),
            "v4-mapped"
        );
        assert!(is_trusted(&trusted, "2001:db8:ffff::1".parse().unwrap()));
        assert!(!is_trusted(&trusted, "11.0.0.1".parse().unwrap()));
        assert!(!is_trusted(&trusted, "2001:db9::1".parse().unwrap()));
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        let warned = AtomicBool::new(false);
        let r = |peer: &str, fwd: &[&str]| resolve(ip(peer), fwd, &trusted, &warned);
        // The client wrote 203.0.113.9 itself; our proxy 10.0.0.2 appended what it saw.
        assert_eq!(
            r("10.0.0.2", &["203.0.113.9", "198.51.100.4"]),
            "198.51.100.4"
        );
        // Two of our proxies in a row: the address before them.
        assert_eq!(r("10.0.0.2", &["203.0.113.9", "10.0.0.7"]), "203.0.113.9");
        assert_eq!(r("10.0.0.2", &["[2001:db8::5]:4711"]), "2001:db8::5");
        assert_eq!(r("10.0.0.2", &["198.51.100.4:4711"]), "198.51.100.4");
        // Nothing forwarded, or only our proxies: the furthest proxy.
        assert_eq!(r("10.0.0.2", &[]), "10.0.0.2");
        assert_eq!(r("10.0.0.2", &["10.0.0.9"]), "10.0.0.9");
        // Garbage stops the walk at the last proxy that vouched.
        assert_eq!(
            r("10.0.0.2", &["198.51.100.4", "unknown", "10.0.0.9"]),
            "10.0.0.9"
        );
        // An untrusted peer's header is ignored, whatever it says.
        assert_eq!(r("192.0.2.5", &["198.51.100.4"]), "192.0.2.5");
        assert_eq!(r("::ffff:192.0.2.5", &[]), "192.0.2.5");
        assert_eq!(
            resolve(None, &["198.51.100.4"], &trusted, &warned),
            "unknown"
        );
        // With no proxy trusted, the header never counts.
        assert_eq!(
            resolve(ip("10.0.0.2"), &["198.51.100.4"], &[], &warned),
            "10.0.0.2"
        );
    }

    #[test]
    fn forwarded_entries_come_from_every_header_in_order() {
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", "203.0.113.9, 10.0.0.7".parse().unwrap());
        headers.append("x-forwarded-for", " 10.0.0.8 ,".parse().unwrap());
        assert_eq!(
            forwarded_for(&headers),
            ["203.0.113.9", "10.0.0.7", "10.0.0.8"]
        );
    }

    #[test]
    fn ipv6_is_throttled_per_64_and_ipv4_per_address() {
        assert_eq!(throttle_key("2001:db8:1:2::99"), "2001:db8:1:2::/64");
        assert_eq!(
            throttle_key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "2001:db8:1:2::/64"
        );
        assert_ne!(
            throttle_key("2001:db8:1:3::1"),
            throttle_key("2001:db8:1:2::1")
        );
        assert_eq!(throttle_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(throttle_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(throttle_key("unknown"), "unknown");
    }

    /// Everything logged while `f` runs, as text.
    fn logged(f: impl FnOnce()) -> String {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn forwarding_while_no_proxy_is_trusted_is_warned_about_once() {
        let warned = AtomicBool::new(false);
        let log = logged(|| {
            for _ in 0..3 {
                resolve(ip("192.0.2.5"), &["198.51.100.4"], &[], &warned);
            }
            resolve(ip("192.0.2.5"), &[], &[], &warned);
        });
        assert_eq!(log.matches("RT_TRUSTED_PROXIES").count(), 1, "{log}");
        assert!(
            log.contains("WARN") && log.contains("no proxy is trusted"),
            "{log}"
        );
        // No header, no warning.
        let quiet = AtomicBool::new(false);
        let log = logged(|| {
            resolve(ip("192.0.2.5"), &[], &[], &quiet);
            resolve(
                ip("10.0.0.2"),
                &["198.51.100.4"],
                &nets(&["10.0.0.0/8"]),
                &quiet,
            );
        });
        assert!(log.is_empty(), "{log}");
    }
}

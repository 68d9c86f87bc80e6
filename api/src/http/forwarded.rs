//! Who the client is behind trusted proxies: `X-Forwarded-For` walked from
//! the right while its hops are trusted proxies.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// One `X-Forwarded-For` hop: `ip`, `ip:port`, `[v6]` or `[v6]:port`;
/// IPv4-mapped IPv6 addresses read as IPv4.
pub fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .and_then(|h| h.parse().ok())
        })?;
    Some(ip.to_canonical())
}

/// The client: the peer unless it is a trusted proxy; then the right-most
/// hop that is not one. A hop that does not parse stops the walk and the
/// peer is used (nothing to its left can be believed); when every hop is
/// trusted, the left-most.
pub fn client(peer: IpAddr, headers: &[&str], trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|h| !h.trim().is_empty())
        .collect();
    let mut leftmost = None;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return peer;
        };
        if !is_trusted(&ip) {
            return ip;
        }
        leftmost = Some(ip);
    }
    leftmost.unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn hops_with_ports_and_brackets_parse() {
        assert_eq!(parse_hop(" 203.0.113.7 "), Some(ip("203.0.113.7")));
        assert_eq!(parse_hop("203.0.113.7:4711"), Some(ip("203.0.113.7")));
        assert_eq!(parse_hop("[2001:db8::1]:443"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("::ffff:203.0.113.7"), Some(ip("203.0.113.7")));
        assert_eq!(parse_hop("unknown"), None);
        assert_eq!(parse_hop("203.0.113.7, 10.0.0.1"), None);
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_the_header_says() {
        let t = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client(ip("198.51.100.9"), &["1.2.3.4"], &t),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn the_walk_from_the_right_skips_trusted_proxies_only() {
        let t = nets(&["10.0.0.0/8"]);
        let got = client(ip("10.0.0.1"), &["6.6.6.6, 203.0.113.7:5000, 10.0.0.2"], &t);
        assert_eq!(got, ip("203.0.113.7"));
        // Several header lines are one list.
        let got = client(ip("10.0.0.1"), &["6.6.6.6", "203.0.113.7", "10.0.0.2"], &t);
        assert_eq!(got, ip("203.0.113.7"));
        // All trusted: the left-most.
        assert_eq!(
            client(ip("10.0.0.1"), &["10.0.0.3, 10.0.0.2"], &t),
            ip("10.0.0.3")
        );
        // No header: the peer.
        assert_eq!(client(ip("10.0.0.1"), &[], &t), ip("10.0.0.1"));
    }

    #[test]
    fn a_hop_that_does_not_parse_stops_the_walk_at_the_peer() {
        let t = nets(&["10.0.0.0/8"]);
        let got = client(ip("10.0.0.1"), &["203.0.113.7, garbage, 10.0.0.2"], &t);
        assert_eq!(got, ip("10.0.0.1"));
    }

    #[test]
    fn ipv4_mapped_addresses_match_ipv4_ranges() {
        let t = nets(&["10.0.0.0/8"]);
        let got = client(ip("::ffff:10.0.0.1"), &["::ffff:10.0.0.2, 203.0.113.7"], &t);
        assert_eq!(got, ip("203.0.113.7"));
        let got = client(
            ip("::ffff:10.0.0.1"),
            &["203.0.113.7, [::ffff:10.0.0.2]:80"],
            &t,
        );
        assert_eq!(got, ip("203.0.113.7"));
    }
}

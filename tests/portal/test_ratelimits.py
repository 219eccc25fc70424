"""The rate limits' client is the one allauth sees behind the trusted proxy, and a resident is
told how long to wait in words."""

import pytest
from django.test import RequestFactory

from portal import ratelimits


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_trusted_proxy_the_client_is_the_connecting_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert ratelimits.client_ip("g", request_from("192.0.2.1", "198.51.100.7")) == "192.0.2.1"


def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.1", "203.0.113.9, 198.51.100.7")
    assert ratelimits.client_ip("g", request) == "198.51.100.7"


def test_a_trusted_client_ip_header_names_the_client(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.8")
    assert ratelimits.client_ip("g", request) == "198.51.100.8"


def test_a_forwarding_header_shorter_than_the_proxy_chain_counts_against_the_sender(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert ratelimits.client_ip("g", request_from("10.0.0.1", "198.51.100.7")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("rate", "words"),
    [("3/h", "an hour"), ("120/m", "a minute"), ("5/10m", "10 minutes"), ("1/d", "a day")],
)
def test_the_wait_is_said_in_words(settings, rate, words):
    settings.RATE_LIMITS = {"receipt": rate}
    assert ratelimits.wait_in_words("receipt") == words


def test_ipv6_clients_count_by_their_network_not_each_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    one = ratelimits.client_ip("g", request_from("2001:db8:1:2::1"))
    other_in_same_network = ratelimits.client_ip("g", request_from("2001:db8:1:2:ffff::9"))
    elsewhere = ratelimits.client_ip("g", request_from("2001:db8:1:3::1"))
    assert one == other_in_same_network != elsewhere

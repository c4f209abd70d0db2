#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# Build geofence's default country database (MaxMind DB format) from
# Debian's tor-geoipdb package: Tor's geoip/geoip6 range files, converted
# from the IPFire Location database (https://location.ipfire.org/,
# CC BY-SA 4.0).  No network access.
#
#   build-default-db.pl OUT.mmdb [GEOIP4 GEOIP6]
#
# The database is Country-shaped (country.iso_code, registered_country.iso_code).
# build_epoch is the date the source data was generated (the "Generated:"
# line of the files), so that status output shows the data's age; the
# description names the source, its date and its licence.
use strict;
use warnings;

use MaxMind::DB::Writer::Tree;
use Net::Works::Address;
use POSIX qw(strftime);
use Time::Local qw(timegm);

my ($out, $geoip4, $geoip6) = @ARGV;
die "usage: $0 OUT.mmdb [GEOIP4 GEOIP6]\n" unless $out;
$geoip4 //= '/usr/share/tor/geoip';
$geoip6 //= '/usr/share/tor/geoip6';

my %mon = (Jan => 0, Feb => 1, Mar => 2, Apr => 3, May => 4, Jun => 5,
	   Jul => 6, Aug => 7, Sep => 8, Oct => 9, Nov => 10, Dec => 11);

# "# Generated: Thu, 25 Jun 2026 04:33:59 GMT" -> epoch
sub source_date {
	my ($path) = @_;
	open(my $fh, '<', $path) or die "$path: $!\n";
	while (my $l = <$fh>) {
		last unless $l =~ /^#/;
		if ($l =~ /Generated:\s+\w+,\s+(\d+)\s+(\w+)\s+(\d+)\s+(\d+):(\d+):(\d+)/) {
			close $fh;
			die "$path: bad month '$2' in the Generated line\n" unless exists $mon{$2};
			return timegm($6, $5, $4, $1, $mon{$2}, $3);
		}
	}
	close $fh;
	die "$path: no '# Generated:' line in the header: is this Tor's geoip file?\n";
}

my $date = source_date($geoip4);
my $pkg = `dpkg-query -W -f='\${Version}' tor-geoipdb 2>/dev/null` || 'unknown';
my $day = strftime('%Y-%m-%d', gmtime($date));

my %types = (
	country            => 'map',
	registered_country => 'map',
	iso_code           => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version            => 6,
	record_size           => 28,
	database_type         => 'geofence-Country',
	languages             => ['en'],
	description           => {
		en => "geofence default country data: IPFire Location database "
		    . "(CC BY-SA 4.0, https://location.ipfire.org/) generated $day, "
		    . "via Debian tor-geoipdb $pkg",
	},
	alias_ipv6_to_ipv4    => 1,
	remove_reserved_networks => 0,
	map_key_type_callback => sub { $types{ $_[0] } },
	_build_epoch          => $date,
);

my %records;	# one data record per country, shared by its networks
sub record {
	my ($cc) = @_;
	return $records{$cc} //= {
		country            => { iso_code => $cc },
		registered_country => { iso_code => $cc },
	};
}

my ($n, $aliased) = (0, 0);
for my $spec ([$geoip4, 4], [$geoip6, 6]) {
	my ($path, $family) = @$spec;
	open(my $fh, '<', $path) or die "$path: $!\n";
	while (my $l = <$fh>) {
		next if $l =~ /^#/ or $l =~ /^\s*$/;
		chomp $l;
		my ($first, $last, $cc) = split /,/, $l;
		die "$path:$.: expected FIRST,LAST,CC\n" unless defined $cc;
		next if $cc eq '??';
		die "$path:$.: bad country code '$cc'\n" unless $cc =~ /^[A-Z0-9]{2}$/;
		if ($family == 4) {
			# IPv4 ranges live in the IPv4 subtree (::/96) of an IPv6 tree
			$first = Net::Works::Address->new_from_integer(integer => $first, version => 4)->as_string;
			$last = Net::Works::Address->new_from_integer(integer => $last, version => 4)->as_string;
		}
		# 6to4 (2002::/16), Teredo (2001::/32) and IPv4-mapped space are
		# aliases of the IPv4 subtree: their addresses carry an IPv4
		# address and take its country
		if (!eval { $tree->insert_range($first, $last, record($cc)); 1 }) {
			die "$path:$.: $@" unless $@ =~ /aliased network/;
			$aliased++;
			next;
		}
		$n++;
	}
	close $fh;
}

open(my $fh, '>:raw', "$out.tmp") or die "$out.tmp: $!\n";
$tree->write_tree($fh);
close $fh or die "$out.tmp: $!\n";
rename("$out.tmp", $out) or die "$out: $!\n";
printf STDERR "build-default-db: %d ranges (%d in IPv4-alias space left to the IPv4 data), "
    . "source generated %s, -> %s\n", $n, $aliased, $day, $out;

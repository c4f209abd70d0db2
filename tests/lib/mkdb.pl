#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# Test databases for the MMDB reader, written with MaxMind's own writer:
#
#   mkdb.pl OUT --ip-version 4|6 --record-size 24|28|32 [--aliases]
#           [--shape country|city|asn] [--networks N] [--seed S]
#           [--net CIDR=CC | --net CIDR=registered:CC | --net CIDR=AS123]... [--build-epoch N]
#           [--database-type TEXT]
#
# --net adds a network with a known country (or only a registered_country);
# --build-epoch and --database-type set the metadata as given, absurd or not.
#
# Random networks (IPv4, and for IPv6 trees also IPv6 networks in a few
# clustered /16s), random countries.  Some records only have
# registered_country, some have neither, some carry a represented_country
# different from country; with --shape city the records look like
# GeoIP2/GeoLite2 City, with --shape asn like an ASN database (no country).
use strict;
use warnings;

use Getopt::Long;
use MaxMind::DB::Writer::Tree;
use Net::Works::Network;

my %o = ('ip-version' => 6, 'record-size' => 28, shape => 'country', networks => 3000, seed => 1,
	 net => []);
GetOptions(\%o, 'ip-version=i', 'record-size=i', 'aliases', 'shape=s', 'networks=i', 'seed=i',
	   'net=s@', 'build-epoch=s', 'database-type=s')
    or die "bad options\n";
my $out = shift or die "usage: $0 OUT [options]\n";
srand($o{seed});

my @cc = qw(US DE CN RU IR KP CU VE FR GB JP BR IN AU CA NL SE ZA NG EG);
my %types = (
	country => 'map', registered_country => 'map', represented_country => 'map',
	city => 'map', continent => 'map', location => 'map', postal => 'map',
	subdivisions => ['array', 'map'], names => 'map', traits => 'map',
	iso_code => 'utf8_string', code => 'utf8_string', en => 'utf8_string',
	geoname_id => 'uint32', latitude => 'double', longitude => 'double',
	accuracy_radius => 'uint16', type => 'utf8_string', is_anycast => 'boolean',
	autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version            => $o{'ip-version'},
	record_size           => $o{'record-size'},
	database_type         => $o{'database-type'} //
	    ($o{shape} eq 'asn' ? 'Test-ASN' : $o{shape} eq 'city' ? 'Test-City' : 'Test-Country'),
	(defined $o{'build-epoch'} ? (_build_epoch => $o{'build-epoch'}) : ()),
	languages             => ['en'],
	description           => { en => 'geofence test database' },
	alias_ipv6_to_ipv4    => $o{aliases} ? 1 : 0,
	remove_reserved_networks => 0,
	map_key_type_callback => sub { $types{ $_[0] } },
);

sub pick { $_[int(rand(@_))] }

sub record {
	my $c = pick(@cc);
	my $r = rand();
	return { autonomous_system_number => int(rand(65000)), autonomous_system_organization => "AS $c" }
	    if $o{shape} eq 'asn';
	my %rec;
	if ($r < 0.08) {		# anycast / satellite: registered_country only
		%rec = (registered_country => { iso_code => $c }, traits => { is_anycast => 1 });
	} elsif ($r < 0.12) {		# no country at all
		%rec = (continent => { code => 'EU' });
	} else {
		%rec = (country => { iso_code => $c, geoname_id => 1000 + int(rand(9000)) },
			registered_country => { iso_code => pick(@cc) });
		# a military base abroad: represented_country must not win
		$rec{represented_country} = { iso_code => pick(@cc), type => 'military' } if rand() < 0.1;
	}
	if ($o{shape} eq 'city') {
		$rec{city} = { names => { en => "City $c" }, geoname_id => int(rand(1e6)) };
		$rec{continent} //= { code => 'NA', names => { en => 'Somewhere' } };
		$rec{location} = { latitude => rand(180) - 90, longitude => rand(360) - 180,
				   accuracy_radius => 100 };
		$rec{postal} = { code => '12345' };
		$rec{subdivisions} = [ { iso_code => 'XX', names => { en => 'Region' } } ];
	}
	return \%rec;
}

sub v4_net {
	my $len = 8 + int(rand(25));
	my $a = int(rand(2**32));
	$a &= ~((2**(32 - $len)) - 1) & 0xffffffff;
	return sprintf('%d.%d.%d.%d/%d', ($a >> 24) & 255, ($a >> 16) & 255, ($a >> 8) & 255, $a & 255, $len);
}

sub v6_net {
	# clustered: most networks in a few /16s, prefixes /19 .. /128
	my @top = (0x2001, 0x2400, 0x2600, 0x2a00, 0x2a02, 0x2c0f);
	my @w = (pick(@top), map { int(rand(65536)) } 1 .. 7);
	my $len = 19 + int(rand(110));
	$len = 128 if $len > 128;
	my $net = Net::Works::Network->new_from_string(string => join(':', map { sprintf '%x', $_ } @w) . "/128");
	my $n = Net::Works::Network->new_from_integer(integer => $net->first->as_integer, prefix_length => $len, version => 6);
	return $n->as_string;
}

my ($ok, $refused) = (0, 0);
for my $n (@{ $o{net} }) {
	my ($cidr, $what) = split /=/, $n, 2;
	if ($what =~ /^AS(\d+)$/) {	# an ASN database's record
		$tree->insert_network($cidr, { autonomous_system_number => $1 + 0,
					       autonomous_system_organization => "Test AS$1" });
		$ok++;
		next;
	}
	my ($reg, $cc) = $what =~ /^(registered:)?([A-Z]{2})$/ or die "--net CIDR=CC: '$n'\n";
	$tree->insert_network($cidr, $reg ? { registered_country => { iso_code => $cc } } :
				       { country => { iso_code => $cc }, registered_country => { iso_code => $cc } });
	$ok++;
}
for my $i (1 .. $o{networks}) {
	my $net = ($o{'ip-version'} == 4 || rand() < 0.5) ? v4_net() : v6_net();
	# IPv4 networks in an IPv6 tree go to the IPv4 subtree (::/96)
	if (eval { $tree->insert_network($net, record()); 1 }) {
		$ok++;
	} else {
		die $@ unless $@ =~ /alias|reserved/i;
		$refused++;
	}
}
open(my $fh, '>:raw', $out) or die "$out: $!\n";
$tree->write_tree($fh);
close $fh or die "$out: $!\n";
printf STDERR "mkdb: %s: %d networks (%d refused)\n", $out, $ok, $refused if $ENV{GF_VERBOSE};

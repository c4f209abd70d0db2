#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# A labelled corpus for the sensitive-data scanner.  Every record is a
# payload as it crosses a gateway (a JSON API body, a CSV export, a form
# post, an email, a log line, a file) holding planted values of known
# categories, and hard negatives that look like them (Luhn-failing numbers,
# invalid SSN areas, ITINs, EINs, timestamps, UUIDs, order numbers...).
#
# Two template sets that share no carrier, field name or phrasing:
#   tune   what the scanner was developed against;
#   score  what precision and recall are reported on;
#   bench  a fixed mix of common tune carriers for the throughput benchmark.
#
# The data live in tests/dlp/corpus/: fields.txt (the names each set plants
# values under), carriers-tune.pl and carriers-score.pl (the payload
# templates).  Folding a scoring set into tune, once it has been run: its
# carriers move into carriers-tune.pl, its field names join the [tune ...]
# lists, and its geo/genomic/biometric variants (the `if ($set eq 'score')`
# blocks below) join @folded.
#
#   gen-corpus.pl SET COUNT SEED > corpus.tsv
#
# One record per line: SET <tab> CARRIER <tab> HEX(PAYLOAD) <tab> EXPECTED
# EXPECTED is "cat=value;cat=value" with values normalized as the scanner
# reports them ("*" where only the presence counts).
use strict;
use warnings;
use FindBin;

my ($set, $count, $seed) = @ARGV;
die "usage: $0 tune|score|bench COUNT SEED\n" unless defined $seed && $set =~ /^(tune|score|bench)$/;
srand($seed);
my $dir = "$FindBin::Bin/";

# ---- data: tests/dlp/corpus/ ------------------------------------------------------
# fields.txt: the names each template set plants a category's values under
my %field_names;	# "tune ssn" -> [names]
{
	open my $fh, '<', "${dir}corpus/fields.txt" or die "$0: ${dir}corpus/fields.txt: $!\n";
	my $section;
	while (my $line = <$fh>) {
		chomp $line;
		next if $line eq '' || $line =~ /^# /;
		if ($line =~ /^\[(tune|score) (\w+)\]$/) {
			$section = $field_names{"$1 $2"} = [];
		} else {
			die "$0: fields.txt: a name before any [set field] line\n" unless $section;
			push @$section, $line;
		}
	}
}
sub field_name {
	my $names = $field_names{ ($set eq 'score' ? 'score' : 'tune') . " $_[0]" } or die "$0: no names for $_[0]\n";
	return $names->[int(rand(@$names))];
}

sub pick { $_[int(rand(@_))] }
sub digits { join '', map { int(rand(10)) } 1 .. $_[0] }
sub chance { rand() < $_[0] }

sub luhn_digit {
	my ($body) = @_;	# the check digit that makes body+d valid
	my ($sum, $dbl) = (0, 1);
	for my $c (reverse split //, $body) {
		my $v = $c * ($dbl ? 2 : 1);
		$v -= 9 if $v > 9;
		$sum += $v;
		$dbl = !$dbl;
	}
	return (10 - $sum % 10) % 10;
}

# ---- generators of valid values -------------------------------------------
sub ssn {
	my $area;
	do { $area = 1 + int(rand(899)) } while $area == 666;
	my $v = sprintf('%03d%02d%04d', $area, 1 + int(rand(99)), 1 + int(rand(9999)));
	return $v =~ /^(\d)\1{8}$/ || $v eq '123456789' ? ssn() : $v;
}

sub card {
	my ($net) = @_;
	$net //= pick(qw(visa visa mc mc2 amex discover jcb unionpay diners));
	my ($prefix, $len) = $net eq 'visa' ? ('4', 16)
	    : $net eq 'mc' ? (51 + int(rand(5)), 16)
	    : $net eq 'mc2' ? (2221 + int(rand(500)), 16)
	    : $net eq 'amex' ? (pick(34, 37), 15)
	    : $net eq 'discover' ? ('6011', 16)
	    : $net eq 'jcb' ? (3528 + int(rand(62)), 16)
	    : $net eq 'unionpay' ? ('62' . (2 + int(rand(8))), pick(16, 17, 19))
	    : ('36', 14);
	my $body = $prefix . digits($len - 1 - length $prefix);
	return ($body . luhn_digit($body), $net);
}

sub card_text {
	my ($num, $net, $style) = @_;
	return $num if $style eq 'plain';
	my $sep = $style eq 'space' ? ' ' : '-';
	my @g = length $num == 15 ? (4, 6, 5) : length $num == 14 ? (4, 6, 4)
	    : length $num == 16 ? (4, 4, 4, 4) : length $num == 19 ? (4, 4, 4, 4, 3) : ();
	return $num unless @g;
	my ($out, $i) = ('', 0);
	for my $g (@g) { $out .= ($i ? $sep : '') . substr($num, $i, $g); $i += $g }
	return $out;
}

sub aba {
	my $p = pick(map({ sprintf '%02d', $_ } 1 .. 12, 21 .. 32, 61 .. 72), '80');
	for (1 .. 100) {
		my $d = $p . digits(6);
		my @d = split //, $d;
		for my $last (0 .. 9) {
			my $s = 3 * ($d[0] + $d[3] + $d[6]) + 7 * ($d[1] + $d[4] + $d[7]) + ($d[2] + $d[5] + $last);
			return $d . $last if $s % 10 == 0 && ($d . $last) !~ /^(\d)\1{8}$/;
		}
	}
}

my %iban_len = (DE => 22, GB => 22, FR => 27, ES => 24, IT => 27, NL => 18, BE => 16, CH => 21,
		AT => 20, PL => 28, SE => 24, IE => 22, PT => 25, DK => 18, NO => 15);
sub iban {
	my $cc = pick(sort keys %iban_len);
	my $bban = '';
	# the Netherlands, Britain and Ireland start with a bank code in letters
	$bban = join('', map { pick('A' .. 'Z') } 1 .. 4) if $cc =~ /^(NL|GB|IE)$/;
	$bban .= digits($iban_len{$cc} - 4 - length $bban);
	my $num = join '', map { /\d/ ? $_ : ord($_) - 55 } split //, $bban . $cc . '00';
	my $r = 0;
	$r = ($r * 10 + $_) % 97 for split //, $num;
	return sprintf('%s%02d%s', $cc, 98 - $r, $bban);
}

sub npi {
	my $body = pick(1, 2) . digits(8);
	return $body . luhn_digit('80840' . $body);
}

sub mbi {
	my @A = grep { !/[SLOIBZ]/ } 'A' .. 'Z';
	my @AN = (@A, 0 .. 9);
	return join '', (1 + int(rand(9))), pick(@A), pick(@AN), int(rand(10)), pick(@A), pick(@AN),
	    int(rand(10)), pick(@A), pick(@A), int(rand(10)), int(rand(10));
}

sub phone {
	my ($a, $e);
	do { $a = (2 + int(rand(8))) . digits(2) } while $a =~ /^.11$/;
	do { $e = (2 + int(rand(8))) . digits(2) } while $e =~ /^.11$/ || $e eq '555';
	return $a . $e . digits(4);
}

sub phone_text {
	my ($p, $style) = @_;
	my ($a, $e, $l) = ($p =~ /^(\d{3})(\d{3})(\d{4})$/);
	return $style eq 'paren' ? "($a) $e-$l" : $style eq 'dash' ? "$a-$e-$l"
	    : $style eq 'dot' ? "$a.$e.$l" : $style eq 'intl' ? "+1 $a-$e-$l" : "($a)$e-$l";
}

sub passport { chance(0.5) ? digits(9) =~ s/^0/5/r : pick('A' .. 'Z') . digits(8) }

sub dl {
	my $f = pick(qw(ca ny tx fl il pa));
	return $f eq 'ca' ? pick('A' .. 'Z') . digits(7) : $f eq 'ny' ? (1 + int(rand(9))) . digits(8)
	    : $f eq 'tx' ? (1 + int(rand(9))) . digits(7) : $f eq 'fl' ? pick('A' .. 'Z') . digits(12)
	    : $f eq 'il' ? pick('A' .. 'Z') . digits(11) : (1 + int(rand(9))) . digits(7);
}

sub icd {
	my $l = pick(grep { $_ ne 'U' } 'A' .. 'Z');
	my $c = $l . digits(2);
	return chance(0.7) ? "$c." . digits(1 + int(rand(3))) : $c;
}

sub coord {
	my $lat = sprintf('%.*f', 3 + int(rand(4)), -89 + rand(178));
	my $lon = sprintf('%.*f', 3 + int(rand(4)), -179 + rand(358));
	return ($lat, $lon, sprintf('%.5f,%.5f', $lat, $lon));
}

sub email {
	my @first = qw(john mary wei ana li olga james fatima carlos yuki sam priya);
	my @dom = qw(example.com mail.example.org corp.example.net example.co.uk uni.example.edu);
	my $u = pick(@first) . pick('.', '_', '') . pick(qw(smith lee garcia chen kim brown)) . (chance(0.3) ? int(rand(99)) : '');
	return lc($u) . '@' . pick(@dom);
}

sub b64 {
	my ($bytes) = @_;
	my @a = ('A' .. 'Z', 'a' .. 'z', 0 .. 9, '+', '/');
	my $out = '';
	for (my $i = 0; $i + 3 <= length $bytes; $i += 3) {
		my $v = unpack('N', "\0" . substr($bytes, $i, 3));
		$out .= join '', map { $a[($v >> (18 - 6 * $_)) & 63] } 0 .. 3;
	}
	return $out;
}

sub randbytes { join '', map { chr(int(rand(256))) } 1 .. $_[0] }
sub nucleotides { join '', map { pick(qw(A C G T)) } 1 .. $_[0] }

# ---- hard negatives ----------------------------------------------------------
sub bad_card {	# card-shaped, Luhn fails
	my ($num) = card();
	my $last = (substr($num, -1) + 1 + int(rand(8))) % 10;
	return substr($num, 0, -1) . $last;
}
sub bad_ssn { sprintf('%s-%02d-%04d', pick('000', '666', 900 + int(rand(100))), 1 + int(rand(99)), 1 + int(rand(9999))) }
sub itin { sprintf('9%02d-%d%d-%04d', int(rand(100)), pick(7, 8, 9), int(rand(10)), int(rand(10000))) }
sub ein { sprintf('%02d-%07d', 10 + int(rand(89)), int(rand(10000000))) }
sub uuid { join '-', map { join '', map { pick(0 .. 9, 'a' .. 'f') } 1 .. $_ } 8, 4, 4, 4, 12 }
sub epoch { 1600000000 + int(rand(200000000)) }
sub epoch_ms { epoch() . digits(3) }
sub order_no { pick('ORD-', '#', 'PO-', 'INV-') . digits(pick(6, 7, 8, 9)) }
sub sha { join '', map { pick(0 .. 9, 'a' .. 'f') } 1 .. 40 }

# ---- records ------------------------------------------------------------------
our @exp;	# expected matches of the record being built
sub want { push @exp, "$_[0]=$_[1]" }

# Planted fields: [label text by set, value text, category, normalized].
# Each returns (field name, value text) and records what is expected.
our %F;
$F{ssn} = sub {
	my $v = ssn();
	my $style = pick('dash', 'dash', 'plain', 'space');
	want('ssn', $v);
	my $t = $style eq 'dash' ? substr($v, 0, 3) . '-' . substr($v, 3, 2) . '-' . substr($v, 5)
	    : $style eq 'space' ? substr($v, 0, 3) . ' ' . substr($v, 3, 2) . ' ' . substr($v, 5) : $v;
	return (field_name('ssn'), $t);
};
$F{card} = sub {
	my ($n, $net) = card();
	want('payment_card', $n);
	return (field_name('card'),
		card_text($n, $net, pick('plain', 'space', 'dash')));
};
$F{aba} = sub {
	my $v = aba();
	want('aba_routing', $v);
	return (field_name('aba'), $v);
};
$F{iban} = sub {
	my $v = iban();
	want('iban', $v);
	my $t = chance(0.5) ? $v : join(' ', $v =~ /(.{1,4})/g);
	return (field_name('iban'), $t);
};
$F{passport} = sub {
	my $v = passport();
	want('us_passport', $v);
	return (field_name('passport'), $v);
};
$F{dl} = sub {
	my $v = dl();
	want('us_drivers_license', $v);
	return (field_name('dl'), $v);
};
$F{npi} = sub {
	my $v = npi();
	want('health_npi', $v);
	return (field_name('npi'), $v);
};
$F{mbi} = sub {
	my $v = mbi();
	want('health_mbi', $v);
	my $t = chance(0.5) ? $v : substr($v, 0, 4) . '-' . substr($v, 4, 3) . '-' . substr($v, 7);
	return (field_name('mbi'), $t);
};
$F{icd} = sub {
	my $v = icd();
	(my $n = $v) =~ s/\.//;
	want('health_icd10', $n);
	return (field_name('icd'), $v);
};
$F{email} = sub {
	my $v = email();
	want('email', $v);
	return (field_name('email'), $v);
};
$F{phone} = sub {
	my $v = phone();
	want('us_phone', $v);
	return (field_name('phone'),
		phone_text($v, pick(qw(paren dash dot intl nospace))));
};

our @fields = sort keys %F;

sub hard_negative {
	my $k = pick(qw(badcard badssn itin ein uuid epoch epochms order sha isbn version price ip date zip keyfp));
	return $k eq 'badcard' ? (pick('ref', 'card_ref'), bad_card())
	    : $k eq 'badssn' ? (pick('ssn', 'taxpayer'), bad_ssn())
	    : $k eq 'itin' ? ('itin', itin())
	    : $k eq 'ein' ? (pick('ein', 'employer_id'), ein())
	    : $k eq 'uuid' ? ('request_id', uuid())
	    : $k eq 'epoch' ? ('timestamp', epoch())
	    : $k eq 'epochms' ? ('ts', epoch_ms())
	    : $k eq 'order' ? ('order', order_no())
	    : $k eq 'sha' ? ('commit', sha())
	    : $k eq 'keyfp' ? (pick('fingerprint', 'cert_fingerprint', 'keyFingerprint'), sha() . substr(sha(), 0, 24))
	    : $k eq 'isbn' ? ('isbn', '978' . digits(10))
	    : $k eq 'version' ? ('version', join('.', int(rand(5)), int(rand(20)), int(rand(300))))
	    : $k eq 'price' ? ('amount', sprintf('%.2f', rand(5000)))
	    : $k eq 'ip' ? ('client_ip', join('.', map { int(rand(256)) } 1 .. 4))
	    : $k eq 'date' ? ('created', sprintf('2025-%02d-%02dT%02d:%02d:%02dZ', 1 + int(rand(12)), 1 + int(rand(28)), int(rand(24)), int(rand(60)), int(rand(60))))
	    : ('zip', digits(5));
}

sub some_fields {
	my ($n) = @_;
	my @out;
	push @out, [ $F{ pick(@fields) }->() ] for 1 .. $n;
	push @out, [ hard_negative() ] for 1 .. 1 + int(rand(3));
	# shuffle
	for (my $i = @out - 1; $i > 0; $i--) { my $j = int(rand($i + 1)); @out[$i, $j] = @out[$j, $i] }
	return @out;
}

sub jstr { my $s = shift; $s =~ s/(["\\])/\\$1/g; "\"$s\"" }

# ---- carriers: tune (everything the scanner was developed against) ------------------------------------------------------------
my %tune = do "${dir}corpus/carriers-tune.pl" or die "$0: carriers-tune.pl: ", $@ || $!, "\n";


sub urlenc { my $v = shift; $v =~ s/([^A-Za-z0-9_.~-])/sprintf('%%%02X', ord $1)/ge; $v }

# ---- carriers: score (the 20th set; the first nineteen were folded into tune) --
my %score = do "${dir}corpus/carriers-score.pl" or die "$0: carriers-score.pl: ", $@ || $!, "\n";

# ---- categories that are files or structures, in both sets ------------------------
sub geo {
	my ($lat, $lon, $norm) = coord();
	want('precise_geolocation', $norm);
	my $s = int(rand(4));
	if ($set eq 'score') {
		my $t = int(rand(3));
		return $t == 0 ? "{\"geo_point\":{\"lat\":$lat,\"lon\":$lon}}"
		    : $t == 1 ? "coordinates: $lat, $lon"
		    : "{\"latitude\":\"$lat\",\"longitude\":\"$lon\",\"source\":\"gps\"}";
	}
	# the variants of the scoring sets folded into tune, each as likely as the next
	my @folded = (
		sub {
			my $t = int(rand(3));
			return $t == 0 ? "{\"coords\":[$lat,$lon]}"
			    : $t == 1 ? "lat:$lat,lng:$lon"
			    : "<coordinates lat=\"$lat\" lng=\"$lon\"/>";
		},
		sub {
			my $t = int(rand(2));
			return $t == 0 ? "{\"location\":{\"latitude\":{\"value\":$lat},\"longitude\":{\"value\":$lon}}}"
			    : "ts=" . epoch() . " lat=$lat lon=$lon speed=3";
		},
		sub {
			my $t = int(rand(3));
			return $t == 0 ? "{\"coordinates\":\"$lat $lon\"}"
			    : $t == 1 ? "location\n\"$lat,$lon\"\n"
			    : "{\"where\":{\"lat\":$lat,\"long\":$lon}}";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "geo=$lat,$lon&radius=50"
			    : $t == 1 ? "{\"pos\":[$lat,$lon]}"
			    : $t == 2 ? "Lat/Lon: $lat / $lon"
			    : "{\"lat_lng\":{\"lat\":$lat,\"lng\":$lon}}";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "{\"location\":{\"lat\":$lat,\"lon\":$lon,\"accuracy_m\":12}}"
			    : $t == 1 ? "Last known position: $lat, $lon"
			    : $t == 2 ? "<Location latitude=\"$lat\" longitude=\"$lon\"/>"
			    : "gps=$lat,$lon;acc=5";
		},
		sub {
			my $t = int(rand(4));
			my ($alat, $alon) = ($lat, $lon);
			s/^-// for $alat, $alon;	# the digits as written: abs() would drop trailing zeros
			my $hemi = sprintf('%s %s, %s %s', $alat, $lat < 0 ? 'S' : 'N', $alon, $lon < 0 ? 'W' : 'E');
			return $t == 0 ? "{\"lat\":$lat,\"lng\":$lon,\"ts\":" . epoch() . "}"
			    : $t == 1 ? "Location: $hemi"
			    : $t == 2 ? "{\"geo\":{\"lat\":\"$lat\",\"long\":\"$lon\"}}"
			    : "coords $lat;$lon";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "Latitude $lat, Longitude $lon"
			    : $t == 1 ? "<item><geo:lat>$lat</geo:lat><geo:long>$lon</geo:long></item>"
			    : $t == 2 ? "{\"coordinates\":{\"lat\":$lat,\"lon\":$lon}}"
			    : "position=$lat $lon";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "{\"position\":{\"coords\":{\"latitude\":$lat,\"longitude\":$lon,\"accuracy\":20},\"timestamp\":" . epoch_ms() . "}}"
			    : $t == 1 ? "lat: $lat | lon: $lon"
			    : $t == 2 ? "{\"loc\":\"$lat,$lon\"}"
			    : "GET /nearby?ll=$lat%2C$lon HTTP/1.1";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "D/Location: onLocationChanged LatLng($lat, $lon)"
			    : $t == 1 ? "{\"Lat\":\"$lat\",\"Lng\":\"$lon\"}"
			    : $t == 2 ? "{\"coords\":\"($lat, $lon)\"}"
			    : "lat_long=$lat,$lon";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "Pinned at $lat\xc2\xb0, $lon\xc2\xb0 by the driver"
			    : $t == 1 ? "{\"location\":[$lat,$lon]}"
			    : $t == 2 ? "lat=$lat;lon=$lon;src=wifi"
			    : "{\"coordinate\":{\"latitude\":$lat,\"longitude\":$lon}}";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "{\"lat\":$lat,\"long\":$lon}"
			    : $t == 1 ? "https://maps.example.com/\@$lat,$lon,17z"
			    : $t == 2 ? "{\"latitude_deg\":$lat,\"longitude_deg\":$lon}"
			    : "GPS: $lat,$lon";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "Location (lat, long): $lat, $lon"
			    : $t == 1 ? "{\"geometry\":{\"lat\":$lat,\"lng\":$lon},\"type\":\"ROOFTOP\"}"
			    : $t == 2 ? "GET /maps?ll=$lat,$lon&z=16 HTTP/1.1"
			    : "{\"home_location\":\"$lat, $lon\"}";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "{\"position\":{\"latitude\":$lat,\"longitude\":$lon,\"accuracy\":5}}"
			    : $t == 1 ? "Coordinates: $lat, $lon (WGS84)"
			    : $t == 2 ? "{\"lat_lng\":[$lat,$lon]}"
			    : "device=tracker-" . digits(3) . " fix lat:$lat lon:$lon sats=9";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "Lat: $lat Long: $lon"
			    : $t == 1 ? "{\"latLng\":\"$lat,$lon\",\"label\":\"home\"}"
			    : $t == 2 ? "<wpt lat=\"$lat\" lon=\"$lon\"><name>WP" . digits(2) . "</name></wpt>"
			    : "checkin latitude=$lat longitude=$lon source=gps";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "<trkpt lat=\"$lat\" lon=\"$lon\"><ele>" . int(rand(900)) . "</ele></trkpt>"
			    : $t == 1 ? "Open geo:$lat,$lon in the app"
			    : $t == 2 ? "{\"coords\":{\"lat\":$lat,\"long\":$lon},\"accuracy_m\":8}"
			    : "lat/long: $lat, $lon";
		},
	);
	return pick(@folded)->() if $set eq 'tune' && chance(0.6);
	if ($set eq 'tune' && chance(0.25)) {
		my $t = int(rand(3));
		return $t == 0 ? "{\"gps\":{\"latitude\":$lat,\"longitude\":$lon,\"alt\":12.5}}"
		    : $t == 1 ? "Location: lat=$lat, lon=$lon"
		    : "pickup ($lat, $lon) confirmed";
	}
	if (chance(0.3)) {
		my $t = int(rand(4));
		return $t == 0 ? "{\"position\":{\"lat\":\"$lat\",\"lng\":\"$lon\"},\"ts\":" . epoch() . "}"
		    : $t == 1 ? "GPS fix: $lat, $lon (hdop 0.9)"
		    : $t == 2 ? "loc=$lat,$lon&zoom=17"
		    : "<Placemark><name>stop</name><latitude>$lat</latitude><longitude>$lon</longitude></Placemark>";
	}

	$s = int(rand(8));
	return $s == 0 ? "{\"lat\": $lat, \"lon\": $lon, \"acc\": 12}" : $s == 1 ? "pos=$lat, $lon"
	    : $s == 2 ? "{\"latitude\":$lat,\"longitude\":$lon}" : $s == 3 ? "GET /track?lat=$lat&lng=$lon HTTP/1.1"
	    : $s == 4 ? "last seen at $lat,$lon near the depot" : $s == 5 ? "\"coordinates\": [$lat, $lon]"
	    : $s == 6 ? "{\"location\":{\"latitude\":\"$lat\",\"longitude\":\"$lon\"},\"speed\":3.2}"
	    : chance(0.5) ? "Delivered to $lat, $lon at 14:02" : chance(0.5) ? "lat: $lat\nlng: $lon\n" : "{\"geo\":\"$lat,$lon\",\"src\":\"gps\"}";

}

sub genomic {
	want('genomic', '*');
	if ($set eq 'score') {
		my $chr = 1 + int(rand(22));
		my $t = int(rand(3));
		return $t == 0 ? "##fileformat=VCFv4.2\n##contig=<ID=$chr>\n"
		    : $t == 1 ? '{"sequence_data":"' . nucleotides(150) . '"}'
		    : "rsid\tchromosome\tposition\tgenotype\nrs" . digits(7) . "\t$chr\t" . digits(7) . "\tCT\n";
	}
	# the variants of the scoring sets folded into tune, each as likely as the next
	my @folded = (
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(3));
			return $t == 0 ? '{"dna":{"reads":["' . nucleotides(80) . '"]}}'
			    : $t == 1 ? join('', map { "chr$chr\t" . digits(7) . "\trs" . digits(6) . "\t" . pick(qw(A C G T)) . "\t" . pick(qw(A C G T)) . "\t99\tPASS\tAF=0.5\n" } 1 .. 2)
			    : "\@HD\tVN:1.6\tSO:unsorted\n\@RG\tID:r" . digits(2) . "\tSM:s" . digits(3) . "\n";
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? '{"vcf_line":"' . $chr . '\t' . digits(8) . '\trs' . digits(7) . '\tA\tG\t50\tPASS\t.\tGT\t0/1"}'
			    : $t == 1 ? join('', map { '"rs' . digits(7) . '","' . $chr . '","' . digits(7) . '","' . pick(qw(AA AG CT)) . "\"\n" } 1 .. 3)
			    : $t == 2 ? '{"fasta":">contig' . digits(3) . '\n' . nucleotides(70) . '\n"}'
			    : ">scaffold_" . digits(2) . "\n" . join('N', map { nucleotides(40) } 1 .. 4) . "\n";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "+\n" . ('F' x 60) . "\n\@r" . digits(5) . "\n" . nucleotides(60) . "\n"
			    : $t == 1 ? '{"alleles":{' . join(',', map { '"rs' . digits(7) . '":"' . pick(qw(A C G T)) . '/' . pick(qw(A C G T)) . '"' } 1 .. 4) . '}}'
			    : $t == 2 ? '{"genotype_calls":[' . join(',', map { '{"snp":"rs' . digits(7) . '","call":"' . pick(qw(AA AG CT GG)) . '"}' } 1 .. 3) . ']}'
			    : "r" . digits(4) . "\t0\tchr" . (1 + int(rand(22))) . "\t" . digits(7) . "\t60\t60M\t*\t0\t0\t" . nucleotides(60) . "\t" . ('I' x 60) . "\n";
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? "--b1\r\nContent-Disposition: form-data; name=\"vcf\"; filename=\"s.vcf\"\r\n\r\n##fileformat=VCFv4.1\n##source=array\n--b1--\r\n"
			    : $t == 1 ? join('', map { "i" . digits(7) . "\t" . (1 + int(rand(22))) . "\t" . digits(7) . "\t" . pick(qw(AA AG CT GG)) . "\n" } 1 .. 4)
			    : $t == 2 ? '{"sequence":{"dna":"' . nucleotides(100) . '"}}'
			    : join('', map { "chrX\t" . digits(8) . "\trs" . digits(7) . "\t" . pick(qw(A C G T)) . "\t" . pick(qw(A C G T)) . "\t50\tPASS\t.\n" } 1 .. 3);
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? "##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE1\n"
			    : $t == 1 ? '{"sample":"S' . digits(3) . '","sequence":"' . nucleotides(150) . '"}'
			    : $t == 2 ? "\@SQ\tSN:chr$chr\tLN:" . digits(9) . "\n\@RG\tID:grp1\tSM:S" . digits(3) . "\n"
			    : join('', map { "rs" . digits(8) . "\t$chr\t" . digits(8) . "\t" . pick(qw(AA AG CT GG)) . "\n" } 1 .. 3);
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? join('', map { "chr$chr\t" . digits(8) . "\trs" . digits(7) . "\t" . pick(qw(A C G T)) . "\t" . pick(qw(A C G T)) . "\t" . (30 + int(rand(60))) . "\tPASS\t.\tGT:DP\t0|1:" . (10 + int(rand(40))) . "\t1|1:" . (10 + int(rand(40))) . "\n" } 1 .. 3)
			    : $t == 1 ? '{"dna_sequence":"' . nucleotides(120) . '"}'
			    : $t == 2 ? "RSID\tCHROMOSOME\tPOSITION\tRESULT\nrs" . digits(7) . "\t$chr\t" . digits(7) . "\tAG\n"
			    : '{"read":{"sequence":"' . lc(nucleotides(90)) . '","quality":"' . ('F' x 90) . '"}}';
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? '{"sample_id":"S' . digits(3) . '","vcf_header":"##fileformat=VCFv4.2"}'
			    : $t == 1 ? "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
			    : $t == 2 ? "\@" . join('', map { pick(0 .. 9, 'a' .. 'f') } 1 .. 8) . "-1c2d runid=" . digits(6) . " ch=" . int(rand(500)) . "\n" . nucleotides(200) . "\n"
			    : join('', map { "rs" . digits(7) . " " . pick(qw(AA AG CT GG TT CC)) . "\n" } 1 .. 5);
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? '{"fastq":"@r' . digits(4) . '\n' . nucleotides(60) . '\n+\n' . ('I' x 60) . '"}'
			    : $t == 1 ? "rsid,chromosome,position,genotype\nrs" . digits(7) . ",$chr," . digits(7) . ",AG\n"
			    : $t == 2 ? ">NC_0000" . sprintf('%02d', $chr) . ".11:c" . digits(9) . "-" . digits(9) . " GENE\n" . nucleotides(70) . "\n"
			    : '{"genome":{"build":"GRCh38","snps":[' . join(',', map { '{"rsid":"rs' . digits(7) . '","genotype":"' . pick(qw(AA AG CT GG)) . '"}' } 1 .. 4) . ']}}';
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? "Hugo_Symbol\tEntrez_Gene_Id\tCenter\tNCBI_Build\tChromosome\tStart_Position\tEnd_Position\nTP53\t7157\tbroad\tGRCh38\t17\t" . digits(7) . "\t" . digits(7) . "\n"
			    : $t == 1 ? join('', map { "$chr\trs" . digits(8) . "\t0\t" . digits(7) . "\t" . pick(qw(A C G T)) . "\t" . pick(qw(A C G T)) . "\n" } 1 .. 4)
			    : $t == 2 ? '{"vcf":"##fileformat=VCFv4.2\n##source=lab\n#CHROM\tPOS\tID\tREF\tALT"}'
			    : "\@SRR" . digits(6) . ".2\n" . lc(nucleotides(70)) . "\n+\n" . ('?' x 70) . "\n";
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? '{"variants":[' . join(',', map { '{"chrom":"' . $chr . '","pos":' . digits(8) . ',"ref":"' . pick(qw(A C G T)) . '","alt":"' . pick(qw(A C G T)) . '","rsid":"rs' . digits(8) . '"}' } 1 .. 3) . ']}'
			    : $t == 1 ? join('', map { "rs" . digits(8) . "\t$chr\t" . digits(7) . "\t" . pick('--', 'AG', 'CC') . "\n" } 1 .. 4)
			    : $t == 2 ? ">chr$chr\nNNNN" . join('', map { chance(0.5) ? lc($_) : $_ } split //, nucleotides(80)) . "\n"
			    : "read" . digits(5) . "\t0\tchr$chr\t" . digits(6) . "\t60\t76M\t*\t0\t0\t" . nucleotides(76) . "\t" . ('F' x 76) . "\n";
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? join('', map { "chr$chr\t" . digits(7) . "\t.\t" . pick(qw(A C G T)) . "\t<NON_REF>\t.\t.\tEND=" . digits(7) . "\tGT:DP\t0/0:" . (5 + int(rand(40))) . "\n" } 1 .. 3)
			    : $t == 1 ? join('', map { "rs" . digits(8) . "\t$chr\t" . digits(7) . "\t" . pick(qw(AA AG CC CT GG TT)) . "\n" } 1 .. 4)
			    : $t == 2 ? nucleotides(40) . "\n+\n" . ('E' x 40) . "\n\@read" . digits(5) . "\n" . nucleotides(40) . "\n"
			    : '{"reads":[{"seq":"' . nucleotides(80) . '","qual":"' . ('I' x 80) . '"}]}';
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? "#AncestryDNA raw data download\n#\nrsid\tchromosome\tposition\tallele1\tallele2\nrs" . digits(8) . "\t$chr\t" . digits(7) . "\tA\tG\n"
			    : $t == 1 ? "{\"dna\":\"" . join('', map { chance(0.5) ? lc($_) : $_ } split //, nucleotides(200)) . "\"}"
			    : $t == 2 ? ">seq1 sample " . digits(4) . "\n" . nucleotides(60) . "\n" . nucleotides(60) . "\n>seq2\n" . nucleotides(60) . "\n"
			    : join('', map { "$chr\t" . digits(7) . "\trs" . digits(7) . "\t" . pick(qw(A C G T)) . "\t" . pick(qw(A C G T)) . "\t" . (20 + int(rand(80))) . "\tPASS\tDP=" . (5 + int(rand(60))) . "\tGT\t0/1\n" } 1 .. 4);
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? "# This data file generated by a consumer DNA service\n#\n# rsid\tchromosome\tposition\tgenotype\nrs" . digits(9) . "\t$chr\t" . digits(5) . "\tTT\n"
			    : $t == 1 ? "{\"sequence\":\"" . lc(nucleotides(100)) . "\"}"
			    : $t == 2 ? ">chr$chr:" . digits(8) . "-" . digits(8) . "\nNNNN" . nucleotides(70) . "\n"
			    : "\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00" . randbytes(60);
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? "\@A00" . digits(3) . ":8:H5KJ2DSXX:1:1101:" . digits(5) . ":1000 1:N:0:ATCACG\n" . nucleotides(90) . "\n+\n" . ('F' x 90) . "\n"
			    : $t == 1 ? '{"genotypes":{' . join(',', map { '"rs' . digits(7) . '":"' . pick(qw(AA AG CT GG CC TT)) . '"' } 1 .. 12) . '}}'
			    : $t == 2 ? "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA" . digits(5) . "\n"
			    : "{\"read\":\"" . nucleotides(30) . 'N' . nucleotides(60) . "\"}";
		},
		sub {
			my $chr = 1 + int(rand(22));
			my $t = int(rand(4));
			return $t == 0 ? "RSID,CHROMOSOME,POSITION,RESULT\n\"rs" . digits(7) . "\",\"$chr\",\"" . digits(7) . "\",\"AG\"\n"
			    : $t == 1 ? "\@SRR" . digits(7) . ".1 1 length=60\n" . nucleotides(60) . "\n+SRR" . digits(7) . ".1\n" . ('?' x 60) . "\n"
			    : $t == 2 ? "{\"sample\":\"S" . digits(3) . "\",\"sequence\":\"" . nucleotides(120) . "\"}"
			    : "##fileformat=VCFv4.4\n##fileDate=2025" . digits(4) . "\n##contig=<ID=chr$chr>\n";
		},
	);
	return pick(@folded)->() if $set eq 'tune' && chance(0.6);
	if ($set eq 'tune' && chance(0.25)) {
		my $chr = 1 + int(rand(22));
		my $t = int(rand(3));
		return $t == 0 ? "##fileformat=VCFv4.0\n#CHROM\tPOS\tID\tREF\tALT\n$chr\t" . digits(6) . "\t.\tC\tT\n"
		    : $t == 1 ? "\@RG\tID:run" . digits(3) . "\tSM:sample\n"
		    : ">contig_" . digits(3) . "\n" . lc(nucleotides(60)) . "\n" . lc(nucleotides(60)) . "\n";
	}
	if (chance(0.3)) {
		my $chr = 1 + int(rand(22));
		my $t = int(rand(4));
		return $t == 0 ? "##fileformat=VCFv4.1\n##INFO=<ID=DP,Number=1,Type=Integer>\n"
		    : $t == 1 ? "\@SQ\tSN:chr$chr\tLN:" . digits(9) . "\n\@PG\tID:bwa\tPN:bwa\n"
		    : $t == 2 ? "\@M0" . digits(4) . ":12:000000000-A" . digits(4) . "\n" . nucleotides(75) . "\n+\n" . ('F' x 75) . "\n"
		    : "BCF\x02\x02" . randbytes(40);
	}
	if (chance(0.4)) {
		my $s = int(rand(4));
		my $chr = 1 + int(rand(22));
		return $s == 0 ? "##fileformat=VCFv4.3\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\n"
		    : $s == 1 ? "rsid\tchromosome\tposition\tallele1\tallele2\nrs" . digits(7) . "\t$chr\t" . digits(8) . "\tA\tG\n"
		    : $s == 2 ? ">NM_" . digits(6) . ".1 Homo sapiens\n" . lc(nucleotides(80)) . "\n"
		    : "CRAM\x03\x01" . randbytes(30);
	}
	my $s = int(rand(6));
	my $chr = 1 + int(rand(22));
	return $s == 0 ? "##fileformat=VCFv4.2\n##source=pipeline\n#CHROM\tPOS\tID\tREF\tALT\n$chr\t" . digits(7) . "\trs" . digits(7) . "\tA\tG\n"
	    : $s == 1 ? "\@HD\tVN:1.6\tSO:coordinate\n\@SQ\tSN:chr$chr\tLN:" . digits(9) . "\n"
	    : $s == 2 ? ">sample_" . digits(4) . " chr$chr\n" . nucleotides(70) . "\n" . nucleotides(70) . "\n"
	    : $s == 3 ? "\@read" . digits(6) . "/1\n" . nucleotides(100) . "\n+\n" . ('I' x 100) . "\n"
	    : $s == 4 ? "# rsid\tchromosome\tposition\tgenotype\nrs" . digits(7) . "\t$chr\t" . digits(8) . "\tAG\nrs" . digits(8) . "\t$chr\t" . digits(8) . "\tCC\n"
	    : "\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00" . randbytes(40);
}

sub biometric {
	want('biometric', '*');
	my $s = int(rand(3));
	my $tpl = pick("FMR\0 20\0", "FMR\x00030\x00", "FAC\x00010\x00") . randbytes(64);
	if ($set eq 'score') {
		my $t = int(rand(3));
		return $t == 0 ? '{"fingerprintImage":"' . b64(randbytes(100)) . '"}'
		    : $t == 1 ? '{"face_template":"' . b64("FAC\x00010\x00" . randbytes(80)) . '"}'
		    : '{"iris":{"left":"' . b64(randbytes(90)) . '"}}';
	}
	# the variants of the scoring sets folded into tune, each as likely as the next
	my @folded = (
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"fingerprint":{"template_b64":"' . b64(randbytes(90)) . '"}}'
			    : $t == 1 ? '{"faceMap":"' . b64(randbytes(96)) . '"}'
			    : $t == 2 ? '{"iris_template_hex":"' . unpack('H*', randbytes(80)) . '"}'
			    : '{"gait":{"signal":[' . join(',', map { sprintf('%.3f', rand(2) - 1) } 1 .. 30) . ']}}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"face":{"template":{"format":"ISO19794-5","data":"' . b64("FAC\x00010\x00" . randbytes(80)) . '"}}}'
			    : $t == 1 ? '{"subject":{"biometrics":{"fingerprints":{"right_thumb":{"wsq":"' . b64(randbytes(90)) . '"}}}}}'
			    : $t == 2 ? '{"voice_embedding_v2":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 96) . ']}'
			    : '{"retina":"' . unpack('H*', randbytes(64)) . '"}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"face":"' . b64(randbytes(96)) . '"}'
			    : $t == 1 ? '{"fingerprint_templates":[{"finger":1,"template":"' . b64(randbytes(90)) . '"}]}'
			    : $t == 2 ? '{"biometric":{"iris":{"left_eye":"' . b64(randbytes(90)) . '"}}}'
			    : '{"hand":{"geometry":[' . join(',', map { sprintf('%.3f', rand(100)) } 1 .. 20) . ']}}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"fingerprint":{"finger":"R_INDEX","wsq":"' . b64(randbytes(90)) . '"}}'
			    : $t == 1 ? '{"face_crop_jpeg":"' . b64("\xff\xd8\xff\xe0\x00\x10JFIF\x00" . randbytes(90)) . '"}'
			    : $t == 2 ? (want('biometric', '*'), '{"irisCodes":{"left":"' . b64(randbytes(80)) . '","right":"' . b64(randbytes(80)) . '"}}')[1]
			    : '{"biometricData":{"type":"signature","points":[' . join(',', map { sprintf('%.2f', rand(300)) } 1 .. 40) . ']}}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"fingerprintData":"' . b64(randbytes(100)) . '"}'
			    : $t == 1 ? '{"face_embedding_512":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 64) . ']}'
			    : $t == 2 ? '{"irisTemplates":["' . b64("IIR\x00010\x00" . randbytes(70)) . '"]}'
			    : '{"biometric_sample":{"kind":"palm","blob":"' . b64(randbytes(90)) . '"}}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"template":{"modality":"iris","format":"ISO_19794_6","data":"' . b64("IIR\x00010\x00" . randbytes(84)) . '"}}'
			    : $t == 1 ? '{"finger_vein":"' . b64(randbytes(90)) . '"}'
			    : $t == 2 ? '{"faceprint_v2":[' . join(',', map { sprintf('%.5f', rand(2) - 1) } 1 .. 128) . ']}'
			    : '{"voice_print":{"embedding":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 192) . ']}}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"biometrics":[{"type":"FINGERPRINT","format":"ANSI_378","data":"' . b64("FMR\x00 20\x00" . randbytes(84)) . '"}]}'
			    : $t == 1 ? '{"palm":{"template":"' . b64(randbytes(90)) . '"}}'
			    : $t == 2 ? '{"faceDescriptor":[' . join(',', map { sprintf('%.5f', rand(2) - 1) } 1 .. 128) . ']}'
			    : '{"voice":{"sample_b64":"' . b64(randbytes(96)) . '"}}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"biometricTemplate":"' . b64(randbytes(90)) . '"}'
			    : $t == 1 ? '{"fingerprint_image":"' . b64("\x89PNG\r\n\x1a\n" . randbytes(90)) . '"}'
			    : $t == 2 ? '{"face":{"vector":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 128) . ']}}'
			    : '{"iris_image_b64":"' . b64(randbytes(96)) . '"}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"fingerprints":{"left_thumb":"' . b64(randbytes(90)) . '"}}'
			    : $t == 1 ? '{"faceTemplateB64":"' . b64(randbytes(96)) . '"}'
			    : $t == 2 ? (want('biometric', '*'), '{"iris_left":"' . b64(randbytes(80)) . '","iris_right":"' . b64(randbytes(80)) . '"}')[1]
			    : '{"speaker_embedding":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 192) . ']}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"minutiae":[' . join(',', map { '{"x":' . int(rand(400)) . ',"y":' . int(rand(400)) . ',"angle":' . int(rand(360)) . ',"type":"' . pick('ending', 'bifurcation') . '"}' } 1 .. 8) . ']}'
			    : $t == 1 ? '{"iris":{"code":"' . b64(randbytes(96)) . '"}}'
			    : $t == 2 ? '{"face_id_vector":"' . b64(randbytes(120)) . '"}'
			    : '{"gait_template":"' . b64(randbytes(90)) . '"}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"face_image":"' . b64("\xff\xd8\xff\xe0\x00\x10JFIF\x00" . randbytes(80)) . '"}'
			    : $t == 1 ? '{"fingerprint_wsq":"' . b64("\xff\xa0\xff\xa8" . randbytes(90)) . '"}'
			    : $t == 2 ? '{"voiceSample":"' . b64(randbytes(96)) . '"}'
			    : '{"handGeometry":[' . join(',', map { sprintf('%.3f', rand(100)) } 1 .. 20) . ']}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"palm_vein":"' . b64(randbytes(90)) . '"}'
			    : $t == 1 ? '{"face_template_iso":"' . b64("FAC\x00030\x00" . randbytes(84)) . '"}'
			    : $t == 2 ? '{"enrollment":{"modality":"fingerprint","template":"' . b64(randbytes(81)) . '"}}'
			    : '{"retinaScan":"' . b64(randbytes(99)) . '"}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"fingerprintTemplate":"' . b64("FMR\x00030\x00" . randbytes(78)) . '"}'
			    : $t == 1 ? '{"biometric":{"type":"voice","sample":"' . b64(randbytes(120)) . '"}}'
			    : $t == 2 ? '{"irisCode":"' . b64(randbytes(96)) . '"}'
			    : '{"user":' . digits(5) . ',"faceprint":[' . join(',', map { sprintf('%.5f', rand(2) - 1) } 1 .. 128) . ']}';
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"fingerprint":{"format":"ISO19794-2","data":"' . b64("FMR\x00 20\x00" . randbytes(75)) . '"}}'
			    : $t == 1 ? '{"face":{"embedding":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 128) . ']}}'
			    : $t == 2 ? '{"templates":[{"type":"iris","data":"' . b64("IIR\x00010\x00" . randbytes(66)) . '"}]}'
			    : "POST /bio HTTP/1.1\r\nContent-Type: application/octet-stream\r\n\r\nFIR\x00010\x00" . randbytes(70);
		},
		sub {
			my $t = int(rand(4));
			return $t == 0 ? '{"biometrics":{"minutiae_template":"' . b64("FMR\x00 20\x00" . randbytes(80)) . '"}}'
			    : $t == 1 ? '{"face_vector":[' . join(', ', map { sprintf('%.5f', rand(2) - 1) } 1 .. 128) . ']}'
			    : $t == 2 ? '{"subject_id":"' . digits(7) . '","iris_template":"' . b64("IIR\x00010\x00" . randbytes(70)) . '"}'
			    : "PUT /v2/templates/" . digits(6) . " HTTP/1.1\r\nContent-Type: application/octet-stream\r\n\r\n" . "FAC\x00010\x00" . randbytes(80);
		},
	);
	return pick(@folded)->() if $set eq 'tune' && chance(0.6);
	if ($set eq 'tune' && chance(0.25)) {
		my $t = int(rand(3));
		return $t == 0 ? '{"iris_code":"' . b64("IIR\x00010\x00" . randbytes(90)) . '"}'
		    : $t == 1 ? '{"fingerprint": "' . b64("FMR\x00 20\x00" . randbytes(72)) . '", "finger": 2}'
		    : '{"faceEmbedding":[' . join(',', map { sprintf('%.5f', rand(2) - 1) } 1 .. 128) . ']}';
	}
	if (chance(0.3)) {
		my $t = int(rand(3));
		return $t == 0 ? '{"palmprint":"' . b64(randbytes(96)) . '"}'
		    : $t == 1 ? '{"face_template":"' . b64("FAC\x00030\x00" . randbytes(90)) . '","version":2}'
		    : '{"fingerprints":[{"finger":"right_index","template":"' . b64("FMR\x00 20\x00" . randbytes(60)) . '"}]}';
	}
	if (chance(0.4)) {
		return $s == 0 ? '{"enrollee":"' . digits(6) . '","irisTemplate":"' . b64("IIR\x00010\x00" . randbytes(60)) . '"}'
		    : $s == 1 ? '{"voiceprint": "' . b64(randbytes(90)) . '"}'
		    : '{"faceEncoding": [' . join(', ', map { sprintf('%.6f', rand(2) - 1) } 1 .. 128) . ']}';
	}
	return $s == 0 ? '{"subject":"' . digits(6) . '","' . pick('fingerprint_template', 'minutiae') . '":"' . b64($tpl) . '"}'
	    : $s == 1 ? '{"' . pick('face_embedding', 'faceVector') . '":[' . join(',', map { sprintf('%.4f', rand(2) - 1) } 1 .. 128) . ']}'
	    : "POST /enroll\r\nContent-Type: application/octet-stream\r\n\r\n" . $tpl;
}

# ---- harmless filler: what most traffic is ---------------------------------------------
sub filler {
	my $s = int(rand(4));
	return $s == 0 ? '{"status":"ok","items":[' . join(',', map { '{"id":' . digits(6) . ',"price":' . sprintf('%.2f', rand(100)) . ',"ts":' . epoch() . '}' } 1 .. 3) . ']}'
	    : $s == 1 ? "GET /api/v1/orders/" . digits(9) . "?since=" . epoch_ms() . " HTTP/1.1\r\nHost: shop.example.com\r\nX-Request-Id: " . uuid() . "\r\n\r\n"
	    : $s == 2 ? "The quarterly review is scheduled for " . (1 + int(rand(28))) . " June; " . digits(4) . " units shipped, order " . order_no() . " delayed, build " . sha() . "."
	    : "event=login user_id=" . digits(7) . " ip=10." . int(rand(255)) . ".0." . int(rand(255)) . " elapsed_ms=" . digits(3) . " version=3.14.159";
}

# bench: a fixed mix of common carriers, so that the throughput benchmark does not
# drift as scoring sets are folded into tune
my @bench = qw(json csv form email xml sentence json_nested multipart syslog ndjson html yaml logfmt kv_log);
my %carriers = $set eq 'tune' ? %tune : $set eq 'bench' ? map { $_ => $tune{$_} } grep { $tune{$_} } @bench : %score;
my @cnames = sort keys %carriers;
for my $i (1 .. $count) {
	@exp = ();
	my ($carrier, $payload);
	my $r = rand();
	if ($r < 0.12) {
		($carrier, $payload) = ('filler', filler());
	} elsif ($r < 0.22) {
		($carrier, $payload) = ('geo', geo());
	} elsif ($r < 0.30) {
		($carrier, $payload) = ('genomic', genomic());
	} elsif ($r < 0.37) {
		($carrier, $payload) = ('biometric', biometric());
	} else {
		$carrier = pick(@cnames);
		$payload = $carriers{$carrier}->();
	}
	printf "%s\t%s\t%s\t%s\n", $set, $carrier, unpack('H*', $payload), join(';', @exp);
}

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
# Folding a scoring set into tune, once it has been run: its carriers move
# into %tune, its field names join the tune lists, and its geo/genomic/
# biometric variants (the `if ($set eq 'score')` blocks) join @folded.
#
#   gen-corpus.pl SET COUNT SEED > corpus.tsv
#
# One record per line: SET <tab> CARRIER <tab> HEX(PAYLOAD) <tab> EXPECTED
# EXPECTED is "cat=value;cat=value" with values normalized as the scanner
# reports them ("*" where only the presence counts).
use strict;
use warnings;

my ($set, $count, $seed) = @ARGV;
die "usage: $0 tune|score|bench COUNT SEED\n" unless defined $seed && $set =~ /^(tune|score|bench)$/;
srand($seed);

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
my @exp;	# expected matches of the record being built
sub want { push @exp, "$_[0]=$_[1]" }

# Planted fields: [label text by set, value text, category, normalized].
# Each returns (field name, value text) and records what is expected.
my %F;
$F{ssn} = sub {
	my $v = ssn();
	my $style = pick('dash', 'dash', 'plain', 'space');
	want('ssn', $v);
	my $t = $style eq 'dash' ? substr($v, 0, 3) . '-' . substr($v, 3, 2) . '-' . substr($v, 5)
	    : $style eq 'space' ? substr($v, 0, 3) . ' ' . substr($v, 3, 2) . ' ' . substr($v, 5) : $v;
	return ($set ne 'score' ? pick('ssn', 'SSN', 'social_security', 'taxpayerSSN', 'Social Security No', 'soc_sec', 'SS#', 'ssn_number', 'SocialSecurityNumber', 'employee_ssn', 'SSN (full)', 'social', 'patientSSN', 'ssn_value', 'Soc. Sec. #', 'applicant_social_security_number', 'Employee SSN', 'SocSecNum', 'ssn_full', 'member_ssn', 'SSN #', 'ssnNo', 'Social Sec. No', 'ssn_digits', 'SocialSecNo', 'Social Security #', 'ss_number', 'primary_ssn', 'SSN_NBR', 'socialSecurity', 'Soc Sec Number', 'ssn_text', 'SSN No', 'socialSecurityNo', 'Social_Security_Number', 'ssn9', 'SSNumber', 'social_security_no', 'SSN Full', 'holderSsn', 'SSN Number', 'ssnId', 'social_sec_num', 'SocialSecurity', 'SSN_ID', 'social_security_nbr', 'Soc Sec #', 'ssnFull', 'SocialSecurityNum', 'ssn_formatted', 'Social Security Nbr', 'SSNo', 'SSN#', 'social_security_num', 'SocialSecurityNbr', 'ssn_no_dashes', 'SSN Value', 'social_security_id', 'SocSecNo', 'ssnText', 'ssn_nbr', 'Social Security Number (SSN)', 'applicantSsn', 'SSN-Full', 'SSN Nbr', 'socialSecurityNumber1', 'ssn_value_full', 'Social Sec Num', 'social_sec_no', 'SSNumber1', 'Soc Security #', 'taxIdSsn', 'SSN No.', 'soc_sec_number', 'SocialSecurityID', 'ssn_nr', 'ssn_id_number', 'Social-Security-No', 'SSNNumber', 'social_security_nbr_1') : pick('SSN (no dashes)', 'ssnDigits', 'social_security_value', 'SSN_VAL'), $t);
};
$F{card} = sub {
	my ($n, $net) = card();
	want('payment_card', $n);
	return ($set ne 'score' ? pick('card_number', 'cc', 'pan', 'creditCard', 'payment_method', 'acct_card', 'cardNumber', 'cc_number', 'PAN', 'Card', 'card_no', 'CardNumber', 'credit_card_number', 'primary_account_number', 'cc_num', 'CardNo', 'paymentCardNumber', 'PAN', 'card', 'CreditCardNumber', 'cc_no', 'card_pan', 'card_num', 'ccNumber', 'Credit Card #', 'payment_card', 'cardNum', 'CC Number', 'pan_value', 'creditcard', 'CreditCardNo', 'Card Number', 'ccnum', 'debit_card', 'cardnumber', 'Payment Card', 'cc_pan', 'creditCardNum', 'cardNo', 'Credit Card', 'card_pan_number', 'CCN', 'credit_card_no', 'PAN Number', 'cardNumberFull', 'cc#', 'card_number_full', 'CreditCard #', 'ccNo', 'payment_pan', 'CardNum', 'credit_card_pan', 'Card #', 'ccn_full', 'creditCardNo', 'Card No.', 'pan_full', 'cc_number_full', 'cardNumberPan', 'Credit card number', 'cc_pan_no', 'PAN #', 'card_num_full', 'Credit Card No', 'ccNumber1', 'primaryCardPan', 'cardPAN', 'Card Num', 'credit_card_num', 'CC No', 'cc_no_full', 'CardNumberPAN', 'Credit Card No.', 'card_nr', 'card_number_1', 'CreditCardNumber1', 'PAN No', 'cc_pan_number') : pick('card_pan_full', 'CC#', 'creditCardPan', 'Card No#'),
		card_text($n, $net, pick('plain', 'space', 'dash')));
};
$F{aba} = sub {
	my $v = aba();
	want('aba_routing', $v);
	return ($set ne 'score' ? pick('routing_number', 'ABA', 'bankRouting', 'RTN', 'routing no', 'routingNumber', 'aba_routing_number', 'Routing #', 'bank_routing_no', 'routing_transit_number', 'ABA/Routing', 'bank_aba', 'RoutingNo', 'aba_number', 'BankRoutingNumber', 'RoutingNum', 'rtn', 'RoutingNo.', 'aba_rtn', 'bank_routing', 'Routing', 'ABA #', 'routing_code', 'Bank Routing #', 'ABANumber', 'aba_no', 'RoutingTransitNumber', 'Routing Number (ABA)', 'bankAba', 'ABA Routing', 'routingNbr', 'bank_routing_number', 'aba_code', 'ABA No', 'routing_nbr', 'bankRoutingNo', 'Transit Routing', 'RTN #', 'aba_rtn_no', 'routingAba', 'ABA RTN', 'Routing/ABA', 'aba_routing_no', 'routingTransit', 'ABA Code', 'routing_aba', 'Bank ABA', 'abaRoutingNo', 'RoutingCode', 'routing_number_aba', 'ABA#', 'bankRoutingNum', 'Routing No', 'ABA Routing Number', 'routing_num', 'bankAbaNo', 'RTN No', 'aba_routing_nbr', 'Routing (ABA) No', 'routingNo1', 'bank_aba_routing', 'routing_transit_no', 'ABA RTN #', 'bankRoutingCode', 'routing_number_1', 'ABA No.', 'routing_no_aba', 'RoutingNumberABA', 'bank_rtn', 'ABA Nr', 'routingNbrABA', 'aba_routing_num', 'Routing Transit #', 'routing_aba_no', 'ABA Routing No', 'bankRoutingNbr', 'aba_nr') : pick('RTN', 'routing_no_bank', 'AbaRoutingNumber', 'ABA routing #'), $v);
};
$F{iban} = sub {
	my $v = iban();
	want('iban', $v);
	my $t = chance(0.5) ? $v : join(' ', $v =~ /(.{1,4})/g);
	return ($set ne 'score' ? pick('iban', 'IBAN', 'beneficiaryAccount', 'bank_account_iban', 'ibanNumber', 'payee_iban', 'IBAN code', 'IBAN_ACCOUNT', 'iban_no', 'destination_iban', 'IBAN', 'payeeIBAN', 'iban_account', 'iban_no', 'IBANNumber', 'beneficiary_iban', 'IBAN #', 'creditor_iban', 'ibanCode', 'Account IBAN', 'IBAN_NUMBER', 'iban_code', 'Beneficiary IBAN', 'recipientIban', 'IBAN No', 'ibanAccount', 'iban_number', 'Payee IBAN', 'iban_acct', 'IBAN Number', 'sepaIban', 'debtor_iban', 'IBAN Account', 'iban_value', 'ibanNo', 'payee_account_iban', 'IBAN Code', 'iban_id', 'receiverIban', 'IBANAccountNumber', 'iban_full', 'BankIBAN', 'IBAN (EUR)', 'ibanValue', 'IBAN#', 'iban_account_number', 'IbanNumber', 'bank_iban', 'IBAN No.', 'iban_acct_no', 'accountIban', 'Recipient IBAN', 'iban_no_full', 'IBAN Acct', 'ibanAcctNumber', 'Payer IBAN', 'iban_nbr', 'IBAN Value', 'beneficiaryIbanNo', 'iban_1', 'IBAN Num', 'ibanNum', 'iban_number_full', 'Customer IBAN', 'IBAN Nr', 'ibanNr', 'iban_acc', 'Beneficiary Account IBAN', 'IBAN Acct No', 'iban_nr', 'ibanAccountNo', 'debtorIban') : pick('iban_code_full', 'IBAN#1', 'payoutIban', 'IBAN Acct'), $t);
};
$F{passport} = sub {
	my $v = passport();
	want('us_passport', $v);
	return ($set ne 'score' ? pick('passport', 'passport_number', 'PassportNo', 'travel passport', 'passportNumber', 'passport_no', 'PassportID', 'US passport', 'passport_num', 'PASSPORT_NO', 'passport#', 'passportNo', 'Passport #', 'passport_id', 'PassportNumber', 'passport_no.', 'PassportNum', 'Passport Number', 'passport_nbr', 'Passport No.', 'passportId', 'travel_document_passport', 'PassportNbr', 'passport number', 'Passport ID', 'travelPassportNo', 'Passport No', 'passport_no_us', 'PassportNumberUS', 'passport_doc_number', 'Passport Nbr', 'passport_num_us', 'passportNumber1', 'Passport', 'passportNum', 'Passport Number US', 'passport_ref', 'PassportNo.', 'passport_nr', 'Passport #', 'passportIdentifier', 'PASSPORT', 'passport_number_full', 'US Passport #', 'passportNbrUS', 'passportno', 'passport_number_id', 'Passport No.', 'passportDocNo', 'us_passport_no', 'passport_num_id', 'US Passport No', 'passportNbr1', 'passport_id_no', 'passport_no_full', 'Passport Num', 'passportNoUS', 'PassportID1', 'passport_nbr_us', 'Passport Identifier', 'passportNumberFull', 'ppt_passport_no', 'passport_number_1', 'Passport Nr', 'passportNum1', 'PPT_PASSPORT', 'Passport Nr.', 'passport_identifier', 'USPassportNo', 'passport_no_1', 'Passport Num.', 'passport_nbr_1', 'PassportIdNo', 'us_passport_number') : pick('passportNumberValue', 'Passport No (US)', 'passport_doc_no', 'PASSPORT_NUMBER'), $v);
};
$F{dl} = sub {
	my $v = dl();
	want('us_drivers_license', $v);
	return ($set ne 'score' ? pick('drivers_license', 'DL', "Driver's License No", 'dl_number', 'license', 'driversLicenseNumber', 'dl_num', 'DriverLicense', 'driver license #', 'driverLicense', 'DL_NUMBER', 'license_no', 'drivers_license_number', 'DriversLicense', 'dl_no', 'license_number', 'Driver License Number', 'DL #', 'drivers_license_no', 'DriverLicenseNo', 'state_license', 'dl_nbr', "Driver's Lic. #", 'driverLicNo', 'DLNumber', 'DLN', 'driver_license_id', 'Drivers Lic #', 'dlNumber', 'Driver License', 'dl_id', 'DriversLicenseNo', 'license_id', 'DL No', 'drivers_lic', 'driverLicenceNumber', 'license_nbr', 'DL#', 'driversLicense', 'driver_lic_no', 'License Number', 'drivers_license_nr', 'DL Number', 'driverLicenseId', 'DRIVER_LICENSE', 'dlNo', "Driver's License #", 'drivers_license_num', 'DLNum', 'drivers_license_number_state', 'DL Num', 'driverLicNum', 'Driving License', 'Drivers License No.', 'dl_number_state', 'driverLicenseNum', 'DL ID', 'dl_nr', 'Driver Lic No', 'driversLicenseNbr', 'license_no_state', 'dl_no_state', "Driver's Lic No", 'driverLicenseNbr', 'DL_NO', 'DL No.', 'drivers_license_no_1', 'driverLicenceNo', 'Driver Licence #', 'DL Nr', 'driver_license_nr', 'DrvLicNo', "Driver's License Number", 'dl_nbr_state', 'Drivers Lic. No', 'driverLicNbr', 'DL_ID_NO') : pick('DL#1', 'driversLicenseNumberValue', 'drv_lic_nr', 'License No (DL)'), $v);
};
$F{npi} = sub {
	my $v = npi();
	want('health_npi', $v);
	return ($set ne 'score' ? pick('npi', 'NPI', 'providerNPI', 'NPI number', 'billingProviderNPI', 'rendering_npi', 'npi_id', 'Provider NPI', 'NPI_Number', 'attendingNpi', 'npi_provider', 'referring_npi', 'npiNumber', 'NPI_ID', 'provider_npi', 'Referring NPI', 'NPI #', 'npi_no', 'RenderingNPI', 'billing_npi', 'NPI No.', 'npiNbr', 'ordering_npi', 'ProviderNpiNumber', 'npi_nbr', 'NPI ID', 'servicingNpi', 'type2_npi', 'NPI Number', 'npi_num', 'supervisingNpi', 'PrescriberNPI', 'NPI_NBR', 'npiId', 'Billing NPI', 'facility_npi', 'NPI Nbr', 'npi_number', 'renderingProviderNpi', 'NPI-ID', 'NPI Code', 'npi_nr', 'NationalProviderId', 'pcpNpi', 'providerNpiNo', 'NPI (Type 1)', 'npi_code', 'referringProviderNpi', 'NPI#', 'npi_identifier', 'attendingProviderNpi', 'Rendering Provider NPI', 'NPI No', 'npiNumber1', 'billing_provider_npi_no', 'Ordering NPI', 'npi_no_1', 'NPI Num', 'treatingNpi', 'Referring Provider NPI', 'npi_nbr_1', 'Supervising NPI', 'npiProvider', 'PROVIDER_NPI', 'NPI Nr', 'npi_no_provider', 'providerNPINumber', 'npiNbr1', 'NPI No.', 'npi_nbr_billing', 'ProviderNPI1', 'attending_npi_no', 'NPI Num.', 'npi_id_no', 'billingNpiNumber', 'Servicing Provider NPI') : pick('NPI#1', 'npiValue', 'billing_npi_number', 'Rendering NPI #'), $v);
};
$F{mbi} = sub {
	my $v = mbi();
	want('health_mbi', $v);
	my $t = chance(0.5) ? $v : substr($v, 0, 4) . '-' . substr($v, 4, 3) . '-' . substr($v, 7);
	return (($set ne 'score' ? pick('mbi', 'medicare_id', 'MedicareBeneficiaryId', 'beneficiary', 'medicareNumber', 'mbi_id', 'MBI', 'member', 'medicare_mbi', 'mbiNumber', 'Medicare ID', 'MBI', 'medicare_beneficiary_id', 'mbiId', 'MBI_Number', 'medicare_mbi_id', 'MedicareID', 'mbi_nbr', 'Medicare Beneficiary Identifier', 'medicareMbi', 'MBI #', 'medicare_number', 'beneficiary_mbi', 'Medicare MBI', 'mbi_number', 'medicareBeneficiaryNumber', 'MBI No', 'medicare_bene_id', 'mbiValue', 'mbi_no', 'Medicare #', 'MedicareBeneficiaryID', 'MBI Number', 'medicare_beneficiary_no', 'mbiCode', 'MedicareMbiNo', 'mbi_code', 'Medicare Beneficiary ID', 'MBI#', 'medicare_mbi_number', 'MedicareIdMbi', 'Medicare ID #', 'mbi_value', 'MBI_ID', 'MBI No.', 'medicare_beneficiary_nbr', 'mbiNo', 'mbi_nbr_1', 'Medicare Number', 'beneficiaryMbi', 'Medicare MBI #', 'mbi_no_1', 'medicareMBINumber', 'MBI Nr', 'medicare_mbi_no', 'MBIIdentifier', 'mbi_id_no', 'Medicare Bene ID', 'MbiNbr') : pick('MBI#1', 'mbiValue1', 'medicare_mbi_nbr')), $t);
};
$F{icd} = sub {
	my $v = icd();
	(my $n = $v) =~ s/\.//;
	want('health_icd10', $n);
	return ($set ne 'score' ? pick('diagnosis', 'icd10', 'dx', 'ICD-10-CM', 'primaryDiagnosis', 'diagnosisCode', 'dx_code', 'icd_10_code', 'DiagnosisCodes', 'icd10_code', 'diagnosis_primary', 'DxCode', 'ICD10CM', 'ICD10', 'diagnosis_code', 'DxCodes', 'Diagnosis', 'dx1', 'DiagnosisCode', 'icd_code', 'Diagnoses', 'diag_code', 'ICD Code', 'icd10cm_code', 'dx_primary', 'ICD-10 Code', 'diagnosis_cd', 'dxCode1', 'admitting_dx', 'Diagnosis Code', 'icd10_dx', 'dxCodePrimary', 'principal_diagnosis', 'ICD10 Code', 'diag1', 'dx_code_1', 'diagnosisIcd10', 'dx_cd', 'ICD-10', 'diagnosis1', 'icdCode', 'diagnosis_code_icd10', 'ICD Dx', 'dxIcd', 'diagCd', 'icd10_diagnosis', 'Dx Code', 'primaryDxCode', 'diag_icd', 'ICD-10-CM Code', 'dx_icd10', 'diagnosisCodePrimary', 'Primary Dx', 'ICD10-CM', 'dx_code1', 'diagnosis_icd10_code', 'Admit Dx', 'ICD Code 1', 'diag_code_1', 'icd10Code', 'Secondary Dx', 'icd_10_cd', 'Dx 1', 'diagnosisIcd', 'PRIMARY_DX', 'icd_code_1', 'ICD 10', 'dxCode2', 'diagnosis_cd_1', 'ICD-10 Dx', 'dx_code_primary', 'IcdCode1', 'diagnosis_code_1', 'ICD10 Dx Code', 'dx_cd_1', 'diagnosisCd', 'Principal Dx Code') : pick('ICD-10 #', 'dxCodeValue', 'diagnosis_icd_code', 'DX_CODE'), $v);
};
$F{email} = sub {
	my $v = email();
	want('email', $v);
	return ($set ne 'score' ? pick('email', 'mail', 'contactEmail', 'e-mail address', 'emailAddress', 'work_email', 'Email', 'reply-to', 'user_email', 'EmailAddr', 'contact', 'e_mail', 'EmailAddress', 'mail_to', 'email_address', 'Email_Addr', 'sender', 'emailAddr', 'Email Address', 'notify_email', 'E-mail', 'email_addr', 'recipient', 'Email', 'emailAddress1', 'billing_email', 'email_id', 'EMail', 'contact_email', 'mail_addr', 'Email Address', 'userEmail', 'email_address_1', 'E-Mail Address', 'primaryEmail', 'emailAddr1', 'E-mail Address', 'customer_email', 'emailaddress', 'Contact Email', 'user_mail', 'e_mail_address', 'Mail', 'workEmail', 'EmailAddress1', 'email_addr_primary', 'Reply Email', 'email1', 'Email Addr', 'notificationEmail', 'Email ID', 'email_address_work', 'contactEmailAddress', 'e-mail', 'EmailAddr2', 'primary_email_address', 'Email Addr.', 'email_address_2', 'contactMail') : pick('EmailAddress2', 'mail_address', 'Contact e-mail'), $v);
};
$F{phone} = sub {
	my $v = phone();
	want('us_phone', $v);
	return ($set ne 'score' ? pick('phone', 'tel', 'mobileNumber', 'cell phone', 'phoneNumber', 'home_phone', 'Mobile', 'contact phone', 'phone_number', 'PhoneNo', 'cell', 'telephoneNumber', 'phone_no', 'MobilePhone', 'Tel', 'homePhoneNumber', 'PhoneNumber', 'cell_no', 'tel_no', 'WorkPhone', 'phone_nbr', 'Cell #', 'contactPhone', 'fax_number', 'Phone #', 'mobile_no', 'contact_number', 'daytimePhone', 'Phone Number', 'mobile_phone', 'telNo', 'primaryPhone', 'phone1', 'Telephone', 'cell_number', 'homePhone', 'phone_num', 'Mobile Number', 'tel_number', 'workPhone', 'phone_nr', 'Cellphone', 'mobileTel', 'contact_phone_number', 'PhoneNo.', 'mobile_number', 'Cell Phone #', 'phoneHome', 'phone_number_mobile', 'Tel.', 'MobilePhoneNumber', 'contact_tel', 'Phone No.', 'cell_phone_number', 'HomeTel', 'mobile #', 'phone_no_1', 'Mobile Phone', 'telephone_number', 'cellNo', 'phone_1', 'Cell No', 'mobilePhoneNo', 'HOME_PHONE', 'Phone #1', 'mobile_num', 'telNumber', 'Work Phone', 'phone_nr_1', 'Mobile No.', 'telephoneNo', 'cell_phone_no', 'phone_nbr', 'Mobile Tel', 'cellPhoneNbr', 'home_tel_no') : pick('PhoneNumber2', 'phone_num_1', 'Mobile #', 'tel_mobile'),
		phone_text($v, pick(qw(paren dash dot intl nospace))));
};

my @fields = sort keys %F;

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
my %tune = (
	json => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"user":{"name":"' . pick(qw(Ann Bob Cy Dee)) . '",' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '},"v":2}';
	},
	csv => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my @rows;
		my @hdr;
		for my $r (0 .. 2 + int(rand(4))) {
			my @vals;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@vals] = $name;
				push @vals, $val;
			}
			push @rows, join(',', pick('Ann', 'Bob', 'Eve'), @vals);
		}
		return join("\n", join(',', 'name', @hdr), @rows) . "\n";
	},
	form => sub {
		my @f = some_fields(1 + int(rand(2)));
		return join '&', map { my ($k, $v) = @$_; $k =~ s/ /+/g; $v =~ s/ /+/g; "$k=$v" } @f;
	},
	html_dl => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "<div class=\"profile\"><dl>" .
		    join('', map { "<dt>$_->[0]</dt><dd><span class=\"v\">$_->[1]</span></dd>" } @f) . "</dl></div>";
	},
	form_pct => sub {
		my @f = some_fields(1 + int(rand(2)));
		return join '&', map { my ($k, $v) = @$_; $v =~ s/([\@() +])/sprintf('%%%02X', ord $1)/ge; "$k=$v" } @f;
	},
	log => sub {
		my @f = some_fields(1);
		return sprintf('2025-06-01T12:00:%02dZ INFO api: %s', int(rand(60)),
		    join(' ', map { "$_->[0]=$_->[1]" } @f));
	},
	json_nested => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "{\n  \"data\": [\n    {\n" .
		    join(",\n", map { '      ' . jstr($_->[0]) . ': ' . jstr($_->[1]) } @f) .
		    "\n    }\n  ],\n  \"page\": " . int(rand(9)) . "\n}";
	},
	tsv_export => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (0 .. 2 + int(rand(4))) {
			my @vals;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@vals] = $name;
				push @vals, $val;
			}
			push @rows, join("\t", 1000 + $r, @vals);
		}
		return join("\r\n", join("\t", 'row', @hdr), @rows) . "\r\n";
	},
	email => sub {
		my @f = some_fields(1 + int(rand(2)));
		want('email', 'hr@example.com');
		want('email', 'payroll@example.org');
		return "From: hr\@example.com\r\nTo: payroll\@example.org\r\nSubject: onboarding\r\n\r\n" .
		    "Hi,\r\n\r\nPlease find the details below.\r\n" .
		    join('', map { "  $_->[0]: $_->[1]\r\n" } @f) . "\r\nThanks\r\n";
	},
	multipart => sub {
		my @f = some_fields(1 + int(rand(2)));
		return join('', map { "--b0undary\r\nContent-Disposition: form-data; name=\"$_->[0]\"\r\n\r\n$_->[1]\r\n" } @f) .
		    "--b0undary--\r\n";
	},
	xml => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<?xml version="1.0"?><record>' .
		    join('', map { my $t = $_->[0]; $t =~ s/#/_no/; $t =~ s/[^A-Za-z0-9_]/_/g; "<$t>$_->[1]</$t>" } @f) . '</record>';
	},
	sentence => sub {
		my @f = some_fields(1);
		my $first = shift @f;
		return "Customer called about the refund. They gave $first->[0] $first->[1] and asked us to " .
		    "confirm by end of day" . join('', map { "; also noted $_->[0] $_->[1]" } @f) . '.';
	},
	json_camel => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '[{"id":' . digits(5) . ',"attributes":{' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '},"type":"person"}]';
	},
	json_pretty4 => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "{\n    \"customer\": {\n        \"identity\": {\n" .
		    join(",\n", map { '            ' . jstr($_->[0]) . ': ' . jstr($_->[1]) } @f) .
		    "\n        }\n    },\n    \"status\": \"active\"\n}\n";
	},
	csv_semicolon => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (0 .. 2 + int(rand(5))) {
			my @vals;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@vals] = "\"$name\"";
				push @vals, "\"$val\"";
			}
			push @rows, join(';', "\"" . pick('Smith', 'Lee', 'Kim') . "\"", @vals);
		}
		return join("\n", join(';', '"surname"', @hdr), @rows) . "\n";
	},
	form_urlencoded => sub {
		my @f = some_fields(1 + int(rand(3)));
		return join '&', map { urlenc($_->[0]) . '=' . urlenc($_->[1]) } @f;
	},
	email_plain => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $from = email();
		want('email', $from);
		return "Return-Path: <$from>\nDate: Tue, 3 Jun 2025 09:14:00 -0400\nSubject: Re: your application\n" .
		    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" .
		    "Dear applicant,\n\nwe have the following on file for you:\n\n" .
		    join('', map { "$_->[0] - $_->[1]\n" } @f) . "\nRegards,\nOnboarding team\n";
	},
	syslog => sub {
		my @f = some_fields(1);
		return sprintf('<134>Jun  3 09:%02d:%02d app-%d kyc[%d]: verify %s', int(rand(60)), int(rand(60)),
		    int(rand(9)), 1000 + int(rand(9000)), join(' ', map { "$_->[0]=\"$_->[1]\"" } @f));
	},
	json_log => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '{"level":"info","ts":' . epoch() . '.' . digits(3) . ',"msg":"record stored",' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}';
	},
	json_records => sub {
		my @rec = map { [ some_fields(1 + int(rand(2))) ] } 1 .. 1 + int(rand(3));
		return '{"records":[' . join(',', map { '{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @$_) . '}' } @rec) . '],"next":null}';
	},
	graphql => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '{"query":"mutation Enroll($in: EnrollInput!) { enroll(input: $in) { id } }","variables":{"in":{' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}}';
	},
	csv_pipe => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (0 .. 1 + int(rand(6))) {
			my @vals;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@vals] = $name;
				push @vals, $val;
			}
			push @rows, join('|', 'A' . digits(4), @vals);
		}
		return join("\n", join('|', 'ref_code', @hdr), @rows) . "\n";
	},
	http_headers => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "POST /v2/applicants HTTP/1.1\r\nHost: api.example.net\r\nContent-Type: application/json\r\n" .
		    join('', map { my $h = $_->[0]; $h =~ s/[^A-Za-z0-9]+/-/g; "X-Applicant-$h: $_->[1]\r\n" } @f) . "\r\n{}";
	},
	logfmt => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'time=2025-07-0' . (1 + int(rand(9))) . 'T10:00:00Z level=debug component=kyc ' .
		    join(' ', map { my $k = $_->[0]; $k =~ s/#/_no/; $k =~ s/[^A-Za-z0-9_]+/_/g; "$k=\"$_->[1]\"" } @f) . ' msg="applicant verified"';
	},
	yaml => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "applicant:\n  name: " . pick('Ann', 'Raj', 'Li') . "\n" .
		    join('', map { my $k = $_->[0]; $k =~ s/#/_no/; $k =~ s/[^A-Za-z0-9_]+/_/g; "  $k: '$_->[1]'\n" } @f) . "  verified: true\n";
	},
	html => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "<html><body><h1>Application</h1><table>" .
		    join('', map { "<tr><td>$_->[0]</td><td><b>$_->[1]</b></td></tr>" } @f) . "</table></body></html>";
	},
	json_array => sub {
		my @rec = map { [ some_fields(1 + int(rand(2))) ] } 1 .. 1 + int(rand(3));
		return '[' . join(",\n ", map { '{' . join(', ', map { jstr($_->[0]) . ': ' . jstr($_->[1]) } @$_) . '}' } @rec) . "]\n";
	},
	csv_quoted => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (0 .. 1 + int(rand(5))) {
			my @vals;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@vals] = "\"$name\"";
				push @vals, "\"$val\"";
			}
			push @rows, join(',', '"' . pick('2024-01-0' . (1 + int(rand(9))), 'n/a') . '"', @vals);
		}
		return join("\r\n", join(',', '"exported"', @hdr), @rows) . "\r\n";
	},
	soap => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:hr">' .
		    '<soapenv:Body><ns:UpdatePerson>' .
		    join('', map { my $t = $_->[0]; $t =~ s/#/No/; $t =~ s/[^A-Za-z0-9_]+/_/g; $t =~ s/^_|_$//g; "<ns:$t>$_->[1]</ns:$t>" } @f) .
		    '</ns:UpdatePerson></soapenv:Body></soapenv:Envelope>';
	},
	ndjson => sub {
		return join('', map { my @f = some_fields(1); '{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . "}\n" } 1 .. 1 + int(rand(3)));
	},
	html_email => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "Content-Type: text/html\r\n\r\n<html><body><p>Hello,</p>" .
		    join('', map { "<p><strong>$_->[0]:</strong> $_->[1]</p>" } @f) . "<p>Best,<br>Support</p></body></html>";
	},
	sql_insert => sub {
		my @f = some_fields(1 + int(rand(3)));
		my $q = sub { my $v = shift; $v =~ s/'/''/g; "'$v'" };
		return 'INSERT INTO customers (' . join(', ', 'id', map { my $c = $_->[0]; $c =~ s/[^A-Za-z0-9_]+/_/g; $c =~ s/_+$//; $c } @f) .
		    ') VALUES (' . join(', ', digits(5), map { $q->($_->[1]) } @f) . ");\n";
	},
	markdown => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "### Ticket " . digits(5) . "\n\n| Field | Value |\n|-------|-------|\n" .
		    join('', map { "| $_->[0] | $_->[1] |\n" } @f) . "\nPlease verify before Friday.\n";
	},
	xml_attr => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<Customers><Customer id="' . digits(4) . '" ' .
		    join(' ', map { my $t = $_->[0]; $t =~ s/#/No/; $t =~ s/[^A-Za-z0-9_]+/_/g; $t =~ s/_+$//; "$t=\"$_->[1]\"" } @f) . ' status="active"/></Customers>';
	},
	escaped_json_log => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'ts=2025-11-0' . (1 + int(rand(9))) . ' level=debug msg="outbound request" body="{' .
		    join(',', map { '\"' . $_->[0] . '\":\"' . $_->[1] . '\"' } @f) . '}" dur=' . digits(2) . "ms\n";
	},
	ini => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "[applicant]\nname = " . pick(qw(Ann Bob Cy Dee)) . "\n" . join('', map { "$_->[0] = $_->[1]\n" } @f) . "\n[meta]\nsource = import\n";
	},
	chat => sub {
		my @f = some_fields(1);
		my $first = shift @f;
		return '{"channel":"#support","text":"hi team, customer on the line needs an update. ' . "$first->[0] is $first->[1]" .
		    join('', map { ", $_->[0] $_->[1]" } @f) . ' - can someone take it?","ts":"' . epoch() . '.' . digits(6) . '"}';
	},
	csv_crlf => sub {
		my @f = some_fields(1 + int(rand(2)));
		return join(',', 'Full Name', map { $_->[0] } @f) . "\r\n" .
		    join(',', '"' . pick('Smith, Ann', 'Lee, Bob', 'Diaz, Cy') . '"', map { $_->[1] } @f) . "\r\n";
	},
	multipart_file => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $b = '----geo' . digits(10);
		return "POST /upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=$b\r\n\r\n--$b\r\n" .
		    "Content-Disposition: form-data; name=\"file\"; filename=\"applicants.txt\"\r\nContent-Type: text/plain\r\n\r\n" .
		    join('', map { "$_->[0]: $_->[1]\n" } @f) . "\r\n--$b--\r\n";
	},
	name_value_json => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"form_id":"' . digits(6) . '","fields":[' .
		    join(',', map { '{"name":' . jstr($_->[0]) . ',"value":' . jstr($_->[1]) . '}' } @f) . ']}';
	},
	html_table_columns => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<table class="report"><thead><tr>' . join('', map { "<th>$_->[0]</th>" } @f) .
		    '</tr></thead><tbody><tr>' . join('', map { "<td>$_->[1]</td>" } @f) . '</tr></tbody></table>';
	},
	fixed_width => sub {
		my @f = some_fields(1 + int(rand(2)));
		my @w = map { (length($_->[0]) > length($_->[1]) ? length($_->[0]) : length($_->[1])) + 3 } @f;
		return join('', 'NAME              ', map { sprintf('%-*s', $w[$_], $f[$_][0]) } 0 .. $#f) . "\n" .
		    join('', sprintf('%-18s', pick('ANN SMITH', 'BOB LEE', 'CY DIAZ')), map { sprintf('%-*s', $w[$_], $f[$_][1]) } 0 .. $#f) . "\n";
	},
	email_reply => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "Subject: Re: account update\r\n\r\nThanks, updated.\r\n\r\nOn Mon, Ann wrote:\r\n> Hi,\r\n" .
		    join('', map { "> $_->[0]: $_->[1]\r\n" } @f) . "> Regards\r\n";
	},
	query_json => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $j = '{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}';
		return 'GET /v1/verify?source=web&payload=' . urlenc($j) . " HTTP/1.1\r\nHost: api.partner.example\r\n\r\n";
	},
	textproto => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "applicant {\n  id: " . digits(6) . "\n" .
		    join('', map { my $t = $_->[0]; $t =~ s/#/number/; $t =~ s/[^A-Za-z0-9_]+/_/g; $t =~ s/^_|_$//g; "  $t: " . jstr($_->[1]) . "\n" } @f) . "}\n";
	},
	fhir_patient => sub {
		my ($ssn, $npi, $mbi, $icd) = (ssn(), npi(), mbi(), icd());
		(my $icdn = $icd) =~ s/\.//;
		my @id;
		if (chance(0.7)) { want('ssn', $ssn); push @id, '{"system":"http://hl7.org/fhir/sid/us-ssn","value":"' . $ssn . '"}' }
		if (chance(0.6)) { want('health_mbi', $mbi); push @id, '{"system":"http://hl7.org/fhir/sid/us-mbi","value":"' . $mbi . '"}' }
		push @id, '{"system":"urn:oid:1.2.36.146.595.217.0.1","value":"' . digits(8) . '"}';
		my $r = '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","identifier":[' . join(',', @id) . ']}}';
		if (chance(0.6)) {
			want('health_npi', $npi);
			$r .= ',{"resource":{"resourceType":"Practitioner","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"' . $npi . '"}]}}';
		}
		if (chance(0.6)) {
			want('health_icd10', $icdn);
			$r .= ',{"resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"' . $icd . '"}]}}}';
		}
		return $r . ']}';
	},
	http_response => sub {
		my @f = some_fields(1 + int(rand(3)));
		my $b = '{"result":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}';
		return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" .
		    sprintf('%x', length $b) . "\r\n$b\r\n0\r\n\r\n";
	},
	monolog => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '[2025-11-0' . (1 + int(rand(9))) . ' 10:0' . int(rand(10)) . ':00] app.INFO: Customer synced {"customer":{' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}} []' . "\n";
	},
	csv_bom => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "\xEF\xBB\xBF" . join(',', 'Customer', map { $_->[0] =~ /[,"]/ ? jstr($_->[0]) : $_->[0] } @f) . "\r\n" .
		    join(',', pick('Ann', 'Bob', 'Cy'), map { $_->[1] } @f) . "\r\n";
	},
	form_freetext => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $text = 'Hello, please update my details: ' . join(', ', map { "$_->[0] $_->[1]" } @f) . '. Thanks!';
		(my $enc = urlenc($text)) =~ s/%20/+/g;
		return 'name=' . pick('Ann', 'Bob') . '&topic=account&message=' . $enc . '&submit=Send';
	},
	deep_json => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"data":{"customers":[{"id":' . digits(5) . ',"profile":{"identity":{' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}},"tags":["vip"]}]},"meta":{"page":1}}';
	},
	mime_alternative => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $b = 'b' . digits(8);
		@exp = (@exp, @exp);	# every value is in both parts
		return "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"$b\"\r\n\r\n--$b\r\n" .
		    "Content-Type: text/plain; charset=utf-8\r\n\r\nApplicant details\r\n" . join('', map { "$_->[0]: $_->[1]\r\n" } @f) .
		    "\r\n--$b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<ul>" . join('', map { "<li>$_->[0]: $_->[1]</li>" } @f) . "</ul>\r\n--$b--\r\n";
	},
	graphql_variables => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"operationName":"UpdateCustomer","variables":{"input":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) .
		    '}},"query":"mutation UpdateCustomer($input: CustomerInput!) { updateCustomer(input: $input) { id } }"}';
	},
	cdata => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<Request><Id>' . digits(6) . '</Id><Payload><![CDATA[' . join('', map { "$_->[0]: $_->[1]\n" } @f) . ']]></Payload></Request>';
	},
	access_log => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $q = join('&', map { my $k = $_->[0]; $k =~ s/[^A-Za-z0-9_]+/_/g; $k =~ s/^_|_$//g; "$k=" . urlenc($_->[1]) } @f);
		return '10.1.' . int(rand(255)) . '.' . int(rand(255)) . ' - - [27/Nov/2025:10:0' . int(rand(10)) . ':00 +0000] "GET /api/check?' .
		    $q . ' HTTP/1.1" 200 ' . digits(3) . ' "-" "curl/7.88.1"' . "\n";
	},
	sms_text => sub {
		my @f = some_fields(1);
		my $first = shift @f;
		return pick('Hi Ann', 'Hello Bob', 'Dear customer') . ", the $first->[0] we have on file is $first->[1]." .
		    join('', map { " Also $_->[0]: $_->[1]." } @f) . ' Reply STOP to opt out.';
	},
	es_bulk => sub {
		return join('', map { my @f = some_fields(1 + int(rand(2)));
			'{"index":{"_index":"customers","_id":"' . digits(6) . "\"}}\n{" . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . "}\n" } 1 .. 1 + int(rand(2)));
	},
	html_inputs => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<form method="post" action="/submit">' . join('', map { my $k = $_->[0]; $k =~ s/#/No/; $k =~ s/[^A-Za-z0-9_]+/_/g; $k =~ s/^_|_$//g;
			"<input type=\"hidden\" name=\"$k\" value=\"$_->[1]\">" } @f) . '<button>Send</button></form>';
	},
	markdown_list => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "## Applicant\n\n" . join('', map { "- **$_->[0]:** $_->[1]\n" } @f) . "\n_Reviewed by ops_\n";
	},
	nested_form => sub {
		my @f = some_fields(1 + int(rand(3)));
		return 'utf8=%E2%9C%93&customer%5Bname%5D=' . pick('Ann', 'Bob') . '&' .
		    join('&', map { my $k = $_->[0]; $k =~ s/#/No/; $k =~ s/[^A-Za-z0-9_]+/_/g; $k =~ s/^_|_$//g; "customer%5B$k%5D=" . urlenc($_->[1]) } @f) . '&commit=Save';
	},
	xml_field_name => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<?xml version="1.0" encoding="UTF-8"?><submission><fields>' .
		    join('', map { my $v = $_->[1]; "<field name=\"$_->[0]\">$v</field>" } @f) . '</fields></submission>';
	},
	free_text_mixed => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'Note from agent: ' . join(' ', map { chance(0.5) ? "the $_->[0] is $_->[1]." : "$_->[1] is the $_->[0] on the account." } @f) . ' Call back tomorrow.';
	},
	sheets_values => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"range":"Sheet1!A1:' . chr(65 + @f) . '2","majorDimension":"ROWS","values":[[' .
		    join(',', '"Name"', map { jstr($_->[0]) } @f) . '],[' . join(',', '"' . pick('Ann', 'Bob', 'Cy') . '"', map { jstr($_->[1]) } @f) . ']]}';
	},
	label_newline => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "APPLICATION FORM\n\n" . join('', map { "$_->[0]\n$_->[1]\n\n" } @f) . "Signature on file\n";
	},
	yaml_list => sub {
		my @f = some_fields(1 + int(rand(3)));
		my $first = shift @f;
		return "customers:\n  - $first->[0]: \"$first->[1]\"\n" . join('', map { "    $_->[0]: \"$_->[1]\"\n" } @f);
	},
	python_repr => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "DEBUG:sync:payload={'id': " . digits(5) . ", " . join(', ', map { "'$_->[0]': '$_->[1]'" } @f) . "}\n";
	},
	rails_params => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "Started POST \"/applicants\" for 10.0.0." . int(rand(255)) . "\nProcessing by ApplicantsController#create as JSON\n" .
		    '  Parameters: {"applicant"=>{' . join(', ', map { "\"$_->[0]\"=>\"$_->[1]\"" } @f) . "}}\n";
	},
	ldif => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "dn: uid=user" . digits(4) . ",ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\ncn: " . pick('Ann Lee', 'Bob Diaz') . "\n" .
		    join('', map { my $k = $_->[0]; $k =~ s/#/Number/; $k =~ s/[^A-Za-z0-9-]+/-/g; $k =~ s/^-|-$//g; "$k: $_->[1]\n" } @f) . "\n";
	},
	vcard => sub {
		my ($p, $pt) = (phone(), undef);
		$pt = phone_text($p, pick('paren', 'dash', 'dot', 'intl'));
		my $e = email();
		want('us_phone', $p);
		want('email', $e);
		return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" . pick('Ann Lee', 'Bob Diaz') . "\r\nTEL;TYPE=CELL:$pt\r\nEMAIL;TYPE=INTERNET:$e\r\nEND:VCARD\r\n";
	},
	kv_semicolon => sub {
		my @f = some_fields(1 + int(rand(3)));
		return 'REC|' . digits(6) . '|' . join(';', map { "$_->[0]:$_->[1]" } @f) . ";END\n";
	},
	csv_in_json => sub {
		my @f = some_fields(1 + int(rand(3)));
		my $csv = join(',', 'name', map { $_->[0] } @f) . '\n' . join(',', pick('Ann', 'Bob'), map { $_->[1] } @f) . '\n';
		$csv =~ s/"/\\"/g;
		return '{"export_id":"' . digits(6) . '","format":"csv","data":"' . $csv . '"}';
	},
	php_serialize => sub {
		my @f = some_fields(1 + int(rand(3)));
		return 'a:' . scalar(@f) . ':{' . join('', map { 's:' . length($_->[0]) . ':"' . $_->[0] . '";s:' . length($_->[1]) . ':"' . $_->[1] . '";' } @f) . '}';
	},
	kv_tsv => sub {
		my @f = some_fields(1 + int(rand(3)));
		return join('', map { "$_->[0]\t$_->[1]\n" } @f);
	},
	typed_json => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"record":{' . join(',', map { jstr($_->[0]) . ':{"type":"string","value":' . jstr($_->[1]) . '}' } @f) . '}}';
	},
	xml_name_value => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<Attributes>' . join('', map { "<Attribute Name=\"$_->[0]\" Value=\"$_->[1]\"/>" } @f) . '</Attributes>';
	},
	hl7v2 => sub {
		my ($ssn, $npi, $icd) = (ssn(), npi(), icd());
		(my $icdn = $icd) =~ s/\.//;
		my $st = chance(0.5) ? substr($ssn, 0, 3) . '-' . substr($ssn, 3, 2) . '-' . substr($ssn, 5) : $ssn;
		want('ssn', $ssn);
		my $m = "MSH|^~\\&|EPIC|HOSP|LAB|HOSP|20250101120000||ADT^A01|MSG" . digits(6) . "|P|2.5\r" .
		    "PID|1||" . digits(7) . "^^^HOSP^MR||DOE^JANE||19800101|F|||1 MAIN ST^^CITY^ST^12345||||||||$st\r";
		if (chance(0.7)) { want('health_npi', $npi); $m .= "PV1|1|I|W^101^1|||||$npi^SMITH^JOHN^^^^^^NPI\r" }
		if (chance(0.7)) { want('health_icd10', $icdn); $m .= "DG1|1||$icd^Diagnosis^I10|||A\r" }
		return $m;
	},
	jsonapi => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"data":{"type":"applicants","id":"' . digits(5) . '","attributes":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) .
		    '},"relationships":{"account":{"data":{"type":"accounts","id":"' . digits(4) . '"}}}}}';
	},
	json_pretty2 => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "{\n  \"request_id\": \"" . uuid() . "\",\n  \"customer\": {\n" . join(",\n", map { '    ' . jstr($_->[0]) . ': ' . jstr($_->[1]) } @f) . "\n  }\n}\n";
	},
	multipart_brackets => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $b = '----WebKitFormBoundary' . join('', map { pick('a' .. 'z', 'A' .. 'Z') } 1 .. 16);
		return "--$b\r\n" . join('', map { "Content-Disposition: form-data; name=\"applicant[$_->[0]]\"\r\n\r\n$_->[1]\r\n--$b\r\n" } @f) . "--\r\n";
	},
	csv_all_quoted_rows => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my @rows;
		my @hdr;
		for my $r (1 .. 3) {
			my @cells;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@cells] //= $name;
				push @cells, $val;
			}
			push @rows, join(',', map { "\"$_\"" } @cells);
		}
		return join(',', map { my $h = $_; $h =~ s/"/""/g; "\"$h\"" } @hdr) . "\r\n" . join("\r\n", @rows) . "\r\n";
	},
	syslog_json => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'Nov 27 10:0' . int(rand(10)) . ':01 gw-' . int(rand(9)) . ' kyc-api[' . digits(4) . ']: {"event":"verify","payload":{' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}' . "\n";
	},
	dot_leaders => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "Applicant summary\n\n" . join('', map { $_->[0] . ('.' x (24 - length($_->[0]) > 2 ? 24 - length($_->[0]) : 3)) . ': ' . $_->[1] . "\n" } @f) . "\n-- generated by intake\n";
	},
	http_post_json => sub {
		my @f = some_fields(1 + int(rand(3)));
		my $b = '{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}';
		return "POST /v1/kyc HTTP/1.1\r\nHost: partner.example\r\nContent-Type: application/json\r\nContent-Length: " . length($b) . "\r\n\r\n$b";
	},
	json_webhook => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"id":"evt_' . digits(10) . '","type":"applicant.updated","created":' . epoch() . ',"data":{"object":{' .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}},"livemode":false}';
	},
	json_tabs => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "[\n\t{\n" . join(",\n", map { "\t\t" . jstr($_->[0]) . ": " . jstr($_->[1]) } @f) . "\n\t}\n]\n";
	},
	form_post_http => sub {
		my @f = some_fields(1 + int(rand(3)));
		my $b = join('&', 'first=' . pick('Ann', 'Bob'), map { urlenc($_->[0]) . '=' . urlenc($_->[1]) } @f);
		return "POST /apply HTTP/1.1\r\nHost: forms.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " . length($b) . "\r\n\r\n$b";
	},
	tsv_quoted_rows => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (1 .. 2) {
			my @cells;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@cells] //= $name;
				push @cells, $val;
			}
			push @rows, join("\t", @cells);
		}
		return join("\t", map { "\"$_\"" } @hdr) . "\n" . join("\n", @rows) . "\n";
	},
	log_pipes => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '2025-11-27 10:0' . int(rand(10)) . ':00,' . digits(3) . ' | INFO | kyc.worker | ' . join(' | ', map { "$_->[0]=$_->[1]" } @f) . "\n";
	},
	email_th_rows => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "Content-Type: text/html\r\n\r\n<p>New application:</p><table border=\"1\">" .
		    join('', map { "<tr><th align=\"left\">$_->[0]</th><td>$_->[1]</td></tr>" } @f) . "</table>";
	},
	xml_nested_ns => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<?xml version="1.0"?><app:Application xmlns:app="urn:example:app"><app:Applicant><app:Details>' .
		    join('', map { my $t = $_->[0]; $t =~ s/#/Number/; $t =~ s/[^A-Za-z0-9_]+/_/g; $t =~ s/^_|_$//g; "<app:$t>$_->[1]</app:$t>" } @f) .
		    '</app:Details></app:Applicant></app:Application>';
	},
	json_two_records => sub {
		return '{"applicants":[' . join(',', map { my @f = some_fields(1 + int(rand(2)));
			'{"id":' . digits(4) . ',"pii":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}' } 1 .. 2) . '],"count":2}';
	},
	form_many => sub {
		my @f = some_fields(2 + int(rand(3)));
		return join('&', 'step=3', 'lang=en', map { urlenc($_->[0]) . '=' . urlenc($_->[1]) } @f) . '&agree=on';
	},
	csv_pipe_quoted => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@cells, @hdr);
		for my $c (@cols) {
			my ($name, $val) = $F{$c}->();
			push @hdr, $name;
			push @cells, $val;
		}
		return join('|', map { "\"$_\"" } 'id', @hdr) . "\n" . join('|', map { "\"$_\"" } digits(4), @cells) . "\n";
	},
	email_aligned => sub {
		my @f = some_fields(1 + int(rand(3)));
		want('email', 'intake@example.com');	# the sender is an address too
		return "From: intake\@example.com\r\nSubject: New applicant\r\n\r\n" .
		    join('', map { sprintf("%-26s %s\r\n", "$_->[0]:", $_->[1]) } @f) . "\r\nThanks\r\n";
	},
	graphql_response => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"data":{"applicant":{"__typename":"Applicant",' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) .
		    '}},"extensions":{"cost":' . int(rand(50)) . '}}';
	},
	yaml_nested => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "applicant:\n  identity:\n" . join('', map { "    $_->[0]: '$_->[1]'\n" } @f) . "  status: pending\n";
	},
	json_batch => sub {
		return '{"batch_id":"' . uuid() . '","items":[' . join(',', map { my @f = some_fields(1 + int(rand(2)));
			'{"op":"upsert","doc":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}' } 1 .. 1 + int(rand(2))) . ']}';
	},
	form_json_mixed => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'token=' . sha() . '&profile=' . urlenc('{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}') . '&v=2';
	},
	csv_semicolon_rows => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (1 .. 2) {
			my @cells;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@cells] //= $name;
				push @cells, $val;
			}
			push @rows, join(';', @cells);
		}
		return join(';', @hdr) . "\r\n" . join("\r\n", @rows) . "\r\n";
	},
	ticket_text => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "Ticket #" . digits(5) . " (priority: high)\n\nCustomer asked to update their record.\n" .
		    join('', map { "  * $_->[0] -> $_->[1]\n" } @f) . "\nAssigned to: ops\n";
	},
	xml_soap12 => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><Submit xmlns="urn:x">' .
		    join('', map { my $t = $_->[0]; $t =~ s/#/No/; $t =~ s/[^A-Za-z0-9_]+/_/g; $t =~ s/^_|_$//g; "<$t>$_->[1]</$t>" } @f) . '</Submit></soap12:Body></soap12:Envelope>';
	},
	kv_spaces_log => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '2025-11-27T10:00:0' . int(rand(10)) . 'Z WARN  validation: ' . join(', ', map { "$_->[0] = '$_->[1]'" } @f) . "\n";
	},
	json_envelope_meta => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"meta":{"v":1,"source":"crm"},"payload":{"customer":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}}';
	},
	form_checkout => sub {
		my @f = some_fields(1 + int(rand(3)));
		return 'billing_first=Ann&billing_last=Lee&' . join('&', map { my $k = $_->[0]; 'billing_' . urlenc($k) . '=' . urlenc($_->[1]) } @f) . '&place_order=1';
	},
	csv_titled => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (1 .. 2) {
			my @cells;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@cells] //= $name;
				push @cells, $val;
			}
			push @rows, join(',', @cells);
		}
		return "Customer export generated 2025-11-27\n" . join(',', @hdr) . "\n" . join("\n", @rows) . "\n";
	},
	email_forwarded => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "---------- Forwarded message ---------\nFrom: Intake Desk\nDate: Thu, Nov 27, 2025\nSubject: applicant\n\n" .
		    join('', map { "$_->[0] - $_->[1]\n" } @f) . "\n";
	},
	log_json_nested => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '{"ts":"2025-11-27T10:00:00Z","level":"info","msg":"sync","customer":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}' . "\n";
	},
	xml_field_id => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<Person><Fields>' . join('', map { "<Field id=\"$_->[0]\">$_->[1]</Field>" } @f) . '</Fields></Person>';
	},
	json_pairs => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"record_id":' . digits(5) . ',"fields":[' . join(',', map { '[' . jstr($_->[0]) . ',' . jstr($_->[1]) . ']' } @f) . ']}';
	},
	multipart_json_part => sub {
		my @f = some_fields(1 + int(rand(2)));
		return "--x9\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{" .
		    join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . "}\r\n--x9--\r\n";
	},
	log_colon_pairs => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '2025-11-27 10:00:0' . int(rand(10)) . ' DEBUG applicant ' . join(' ', map { "$_->[0]: $_->[1]" } @f) . " status: ok\n";
	},
	html_label_input => sub {
		my @f = some_fields(1 + int(rand(2)));
		my $n = 0;
		return '<form>' . join('', map { $n++; "<label for=\"f$n\">$_->[0]</label><input id=\"f$n\" type=\"text\" value=\"$_->[1]\">" } @f) . '</form>';
	},
	json_people => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"people":[{"name":"' . pick('Ann', 'Bob') . '","ids":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}}]}';
	},
	xml_type_attr => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '<Applicant Id="' . digits(4) . '">' . join('', map { "<Identifier Type=\"$_->[0]\">$_->[1]</Identifier>" } @f) . '</Applicant>';
	},
	yaml_flow => sub {
		my @f = some_fields(1 + int(rand(3)));
		return 'applicant: {' . join(', ', map { "$_->[0]: '$_->[1]'" } @f) . "}\n";
	},
	log_brackets => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '2025-11-27 10:00:0' . int(rand(10)) . ' INFO kyc ' . join(' ', map { "[$_->[0]=$_->[1]]" } @f) . "\n";
	},
	json_kv_short => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"applicant":{"pii":[' . join(',', map { '{"k":' . jstr($_->[0]) . ',"v":' . jstr($_->[1]) . '}' } @f) . ']}}';
	},
	grpc_wrappers => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"customer":{' . join(',', map { jstr($_->[0]) . ':{"value":' . jstr($_->[1]) . '}' } @f) . '}}';
	},
	json_envelope_snake => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '{"request":{"applicant_details":{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}},"trace_id":"' . uuid() . '"}';
	},
	get_query => sub {
		my @f = some_fields(1 + int(rand(3)));
		return 'GET /submit?' . join('&', 'src=app', map { urlenc($_->[0]) . '=' . urlenc($_->[1]) } @f) . " HTTP/1.1\r\nHost: intake.example\r\n\r\n";
	},
	tsv_quoted_values => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@cells, @hdr);
		for my $c (@cols) {
			my ($name, $val) = $F{$c}->();
			push @hdr, $name;
			push @cells, "\"$val\"";
		}
		return join("\t", @hdr) . "\n" . join("\t", @cells) . "\n";
	},
	email_tabs => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "Subject: details\r\n\r\nHere you go:\r\n" . join('', map { "$_->[0]:\t$_->[1]\r\n" } @f) . "\r\nBest\r\n";
	},
	xml_pretty => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "<?xml version=\"1.0\"?>\n<customer>\n" .
		    join('', map { my $t = $_->[0]; $t =~ s/#/No/; $t =~ s/[^A-Za-z0-9_]+/_/g; $t =~ s/^_|_$//g; "    <$t>\n        $_->[1]\n    </$t>\n" } @f) . "</customer>\n";
	},
	yaml_dash_list => sub {
		my @f = some_fields(1 + int(rand(3)));
		return "fields:\n" . join('', map { "- $_->[0]: '$_->[1]'\n" } @f);
	},
	kv_log => sub {
		my @f = some_fields(1 + int(rand(2)));
		return sprintf('%s INFO  [req-%s] applicant payload=%s', '2025-08-1' . int(rand(10)) . 'T08:00:00Z', digits(6),
		    '{' . join(',', map { jstr($_->[0]) . ':' . jstr($_->[1]) } @f) . '}');
	},
);


sub urlenc { my $v = shift; $v =~ s/([^A-Za-z0-9_.~-])/sprintf('%%%02X', ord $1)/ge; $v }

# ---- carriers: score (the 20th set; the first nineteen were folded into tune) --
my %score = (
	json_update_patch => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '[' . join(',', map { '{"op":"replace","path":"/applicant/' . $_->[0] . '","value":' . jstr($_->[1]) . '}' } @f) . ']';
	},
	csv_two_rows_crlf => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (1 .. 2) {
			my @cells;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@cells] //= $name;
				push @cells, $val;
			}
			push @rows, join(',', 'row' . $r, @cells);
		}
		return join(',', 'record', @hdr) . "\r\n" . join("\r\n", @rows) . "\r\n";
	},
	chat_json => sub {
		my @f = some_fields(1);
		# every field goes in the text: some_fields() expects all of them
		return '{"messages":[{"role":"user","content":"please update ' . join(', and ', map { "my $_->[0] to $_->[1]" } @f) . '"}]}';
	},
	html_dl_inline => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<div class="card">' . join('', map { "<span class=\"k\">$_->[0]</span> <span class=\"v\">$_->[1]</span><br>" } @f) . '</div>';
	},
	log_equals_quotes => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'Nov 27 10:00:01 api[42]: audit ' . join(' ', map { my $k = $_->[0]; $k =~ s/[^A-Za-z0-9_]+/_/g; $k =~ s/^_|_$//g; "$k='$_->[1]'" } @f) . "\n";
	},
);

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

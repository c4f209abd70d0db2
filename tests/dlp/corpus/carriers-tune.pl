# SPDX-License-Identifier: GPL-2.0
#
# The tune template set's carriers: payloads as they cross a gateway, each
# planting values under some fields (everything the scanner was developed
# against).
# Loaded by gen-corpus.pl with do(): the helpers, %F (planted fields),
# @fields and @exp are its own.  Returns name => sub { payload }.
use strict;
use warnings;
our (%F, @fields, @exp);

(
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

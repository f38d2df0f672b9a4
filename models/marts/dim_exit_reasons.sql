{#- The exit_reason code list (seeds/exit_reasons.csv) with its labels:
    reports and the tests' code checks read it. -#}
{{ code_list_dim('exit_reasons', 'exit_reason') }}

{#- The financing code list (seeds/financing_types.csv) with its labels:
    reports and the tests' code checks read it. -#}
{{ code_list_dim('financing_types', 'financing') }}
